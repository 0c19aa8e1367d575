import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';

/**
 * A projection kept up to date from the log: on start and on every EntriesAppended it applies
 * pages from its own stored position until none is left. It never trusts the notification's
 * payload, so a missed or failed run is repaired by the next one, and a rebuild is the same code
 * starting from zero. Failures are logged loudly, kept in `lastError` for readiness, and retried.
 */
export abstract class CatchUpProjector implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private running: Promise<void> = Promise.resolve();
  private again = false;
  private busy = false;
  private stopped = false;
  lastError: string | null = null;

  protected constructor(private readonly projection: string) {
    this.logger = new Logger(`${projection}-projector`);
  }

  /** Applies one page from the stored position; the next position, or null when nothing was left. */
  protected abstract applyNextPage(): Promise<number | null>;

  /** The projection's position: it holds every entry below it. */
  abstract position(): Promise<number>;

  onApplicationBootstrap(): void {
    void this.catchUp();
  }

  handle(): void {
    void this.catchUp();
  }

  /** Lets a running pass finish before the database connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Runs one catch-up at a time; a request arriving meanwhile schedules one more pass. */
  catchUp(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.busy) {
      this.again = true;
      return this.running;
    }
    this.busy = true;
    this.running = (async () => {
      do {
        this.again = false;
        try {
          while (!this.stopped && (await this.applyNextPage()) !== null);
          this.lastError = null;
        } catch (err) {
          // Loud, and retried on the next notification; readiness reports it meanwhile.
          this.lastError = (err as Error).message;
          this.logger.error({ msg: `${this.projection} projection failed`, error: this.lastError });
        }
      } while (this.again && !this.stopped);
      this.busy = false;
    })();
    return this.running;
  }
}
