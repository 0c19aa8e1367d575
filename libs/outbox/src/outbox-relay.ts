import type { OutgoingMessage } from '@aal/kafka';
import { Client } from 'pg';
import { outboxChannel } from './outbox-schema';
import { publishTraced } from './outbox-tracing';

export interface OutboxRelayOptions {
  readonly connectionString: string;
  readonly schema: string;
  /** Sends and resolves only once every message is acknowledged (acks=all). */
  readonly publish: (messages: readonly OutgoingMessage[]) => Promise<void>;
  readonly batchSize?: number;
  /** Fallback poll when no NOTIFY arrives (lost connection, missed notification). */
  readonly pollIntervalMs?: number;
  readonly maxBackoffMs?: number;
  readonly log?: (level: 'info' | 'warn' | 'error', msg: string, extra?: object) => void;
}

export interface OutboxRelayStats {
  readonly leader: boolean;
  readonly published: number;
  readonly lastError: string | null;
  readonly lastPublishMs: number | null;
}

/**
 * Publishes outbox rows to Kafka and marks them sent.
 *
 * Correctness notes:
 * - It reads every row not yet published (`published_at IS NULL`) in id order, never "ids after
 *   the last one sent": a row whose transaction commits after a higher id was published is still
 *   picked up on the next pass instead of being skipped.
 * - Exactly one relay per schema is active (a session advisory lock), so rows of one aggregate
 *   are never published out of order by two relays racing.
 * - A failure after Kafka acknowledged but before the row is marked means a re-send; consumers
 *   de-duplicate by event id, so at-least-once here is exactly-once in the ledger.
 * - Rows carry their signature from the writer (`appendToOutbox`); the relay copies them as they
 *   are and holds no key.
 */
export class OutboxRelay {
  private client: Client | null = null;
  private running = false;
  private leader = false;
  private wakeUp: (() => void) | null = null;
  private pending = false;
  private loop: Promise<void> | null = null;
  private published = 0;
  private lastError: string | null = null;
  private lastPublishMs: number | null = null;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.closeClient();
  }

  stats(): OutboxRelayStats {
    return { leader: this.leader, published: this.published, lastError: this.lastError, lastPublishMs: this.lastPublishMs };
  }

  /** Rows not yet published; for readiness and metrics. */
  async backlog(): Promise<number> {
    const client = new Client({ connectionString: this.options.connectionString });
    await client.connect();
    try {
      const res = await client.query(`SELECT count(*)::int AS n FROM ${this.options.schema}.outbox WHERE published_at IS NULL`);
      return res.rows[0].n as number;
    } finally {
      await client.end();
    }
  }

  private wake(): void {
    this.pending = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    let backoff = 100;
    while (this.running) {
      try {
        const client = await this.ensureClient();
        if (!this.leader) {
          const res = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`outbox:${this.options.schema}`]);
          this.leader = res.rows[0].ok === true;
        }
        if (this.leader) await this.drain(client);
        this.lastError = null;
        backoff = 100;
        await this.idle(this.options.pollIntervalMs ?? 1000);
      } catch (err) {
        this.lastError = (err as Error).message;
        this.log('warn', 'outbox relay pass failed; retrying', { error: this.lastError, backoffMs: backoff });
        if (!(await this.isClientHealthy())) await this.closeClient();
        await this.idle(backoff);
        // 1 s by default: events reach Kafka within about a second of its return (issue #11).
        backoff = Math.min(backoff * 2, this.options.maxBackoffMs ?? 1000);
      }
    }
  }

  private async drain(client: Client): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    for (;;) {
      this.pending = false;
      const res = await client.query(
        `SELECT id, topic, message_key, headers, payload FROM ${this.options.schema}.outbox
          WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        [batchSize],
      );
      if (res.rows.length === 0) return;
      const started = Date.now();
      const messages = res.rows.map((r) => ({ topic: r.topic, key: r.message_key, headers: r.headers, value: r.payload }));
      await publishTraced(messages, () => this.options.publish(messages));
      await client.query(`UPDATE ${this.options.schema}.outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [
        res.rows.map((r) => r.id),
      ]);
      this.lastPublishMs = Date.now() - started;
      this.published += res.rows.length;
      if (!this.running) return;
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.pending || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = null;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async ensureClient(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.options.connectionString, application_name: `${this.options.schema}-outbox-relay` });
    client.on('error', (err) => {
      this.lastError = err.message;
      this.wake();
    });
    client.on('notification', () => this.wake());
    await client.connect();
    await client.query(`LISTEN ${outboxChannel(this.options.schema)}`);
    this.client = client;
    this.leader = false;
    return client;
  }

  private async isClientHealthy(): Promise<boolean> {
    if (!this.client) return false;
    try {
      await this.client.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  private async closeClient(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.leader = false;
    if (client) await client.end().catch(() => undefined);
  }

  private log(level: 'info' | 'warn' | 'error', msg: string, extra?: object): void {
    this.options.log?.(level, msg, extra);
  }
}
