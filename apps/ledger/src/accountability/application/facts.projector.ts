import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { EntriesAppended } from '../../intake/application/entries-appended.event';
import { FactsRepository } from '../infrastructure/facts.repository';
import { applyNextPage } from './facts.projection';

/**
 * Keeps the facts projection up to date from the log. It always reads entries from its own stored
 * position rather than trusting the notification's payload, so a missed or failed run is repaired
 * by the next one, and a rebuild is the same code starting from zero.
 */
@Injectable()
@EventsHandler(EntriesAppended)
export class FactsProjector implements IEventHandler<EntriesAppended>, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('FactsProjector');
  private readonly repository: FactsRepository;
  private running: Promise<void> = Promise.resolve();
  private again = false;
  private busy = false;
  private stopped = false;
  lastError: string | null = null;

  constructor(dataSource: DataSource) {
    this.repository = new FactsRepository(dataSource);
  }

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
          await this.project();
          this.lastError = null;
        } catch (err) {
          // Loud, and retried on the next notification; readiness reports it meanwhile.
          this.lastError = (err as Error).message;
          this.logger.error({ msg: 'facts projection failed', error: this.lastError });
        }
      } while (this.again && !this.stopped);
      this.busy = false;
    })();
    return this.running;
  }

  position(): Promise<number> {
    return this.repository.position();
  }

  private async project(): Promise<void> {
    while (!this.stopped) {
      if ((await applyNextPage(this.repository)) === null) return;
    }
  }
}
