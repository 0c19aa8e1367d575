import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { KafkaClient } from './kafka-client';
import { kafkajsOf } from './kafkajs-handle';

export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset as a decimal string (int64). */
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Record<string, string | undefined>;
  readonly value: Buffer | null;
  /** Broker or producer timestamp, milliseconds since the epoch, as a decimal string. */
  readonly timestamp: string;
}

export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly ConsumedMessage[];
}

/**
 * What a handler asks for after a batch: nothing (the batch is done: its offset is committed), or
 * `seekTo`: the batch was NOT applied and the partition is to be read again from that offset
 * (decimal string), e.g. because the batch starts beyond what the handler has stored.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: void, not undefined, so that a handler declared to return Promise<void> is a BatchHandler as it stands
export type BatchOutcome = void | { readonly seekTo: string };

/**
 * Handles one batch of one partition. It MUST make the batch durable (or dead-letter it) before
 * resolving: the offset is committed right after, and a rejected promise makes Kafka redeliver.
 */
export type BatchHandler = (batch: ConsumedBatch) => Promise<BatchOutcome>;

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface PartitionPosition extends TopicPartition {
  /** The next offset to read, as a decimal string. */
  readonly offset: string;
}

export interface BatchConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly fromBeginning?: boolean;
  readonly maxBytesPerPartition?: number;
  /** Batches of different partitions handled at once (the handler MUST be safe for that). */
  readonly partitionsConcurrently?: number;
  /**
   * For a consumer whose own store, not Kafka's committed offsets, says where it stands: called
   * on every partition assignment with the assigned partitions; each partition returned is read
   * from the given offset. No batch of the new assignment reaches the handler before it resolved
   * (a rejection is retried with the next batch).
   */
  readonly startPositions?: (assigned: readonly TopicPartition[]) => Promise<readonly PartitionPosition[]>;
}

/**
 * Group membership timing (issue #11; the reasoning and measurements are in docs/kafka-notes.md,
 * "Consumer settings and recovery"). A member that died without leaving (kill -9, a lost broker
 * connection that made kafkajs re-create its consumer) is only dropped when its session times
 * out, and until then a rejoining group waits: the session timeout is the recovery time. 3 s
 * needs the broker's group.min.session.timeout.ms lowered to 3000 (scripts/kafka.sh, compose,
 * production). kafkajs heartbeats only between fetches and batches, hence the short fetch wait
 * and the heartbeats sent while a batch is being handled.
 */
const CONSUMER_SESSION_TIMEOUT_MS = 3000;
/** Kafka's default floor: used when a broker not yet configured for 3 s refuses it. */
const FALLBACK_SESSION_TIMEOUT_MS = 6000;
/** Clients whose cluster refused the short session: their later consumers start with the fallback. */
const refusedShortSession = new WeakSet<Kafka>();
const HEARTBEAT_INTERVAL_MS = 1000;
/** How long a rebalance waits for a live member to rejoin before dropping it. */
const REBALANCE_TIMEOUT_MS = 10000;
const FETCH_MAX_WAIT_MS = 1000;
/** Retries never end, but while Kafka is away a reconnect is tried at least every ~1 s. */
const RETRY = { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 1000 };

/** A consumer-group member that hands whole batches to one handler and commits after it. */
export class BatchConsumer {
  private consumer: Consumer;
  private sessionRefused = false;
  private assigned: readonly TopicPartition[] = [];
  /** Settles once the current assignment's start positions are sought. */
  private positioning: Promise<void> = Promise.resolve();

  private readonly kafka: Kafka;

  constructor(
    client: KafkaClient,
    private readonly options: BatchConsumerOptions,
    private readonly handler: BatchHandler,
  ) {
    this.kafka = kafkajsOf(client);
    this.consumer = this.createConsumer(refusedShortSession.has(this.kafka) ? FALLBACK_SESSION_TIMEOUT_MS : CONSUMER_SESSION_TIMEOUT_MS);
  }

  private createConsumer(sessionTimeout: number): Consumer {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1024 * 1024,
      sessionTimeout,
      heartbeatInterval: Math.min(HEARTBEAT_INTERVAL_MS, sessionTimeout / 3),
      rebalanceTimeout: REBALANCE_TIMEOUT_MS,
      maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
      retry: RETRY,
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (/session timeout is not within the range/i.test(String(payload.error?.message))) this.sessionRefused = true;
    });
    return consumer;
  }

  async start(): Promise<void> {
    await this.run();
    if (!this.sessionRefused) return;
    // kafkajs gives up on a refused session timeout (not retriable) and leaves the consumer
    // stopped: run again with the broker default, slower to recover but running.
    process.stderr.write(
      `${JSON.stringify({ component: 'kafka', level: 'warn', msg: `the broker refused a ${CONSUMER_SESSION_TIMEOUT_MS} ms session timeout (group.min.session.timeout.ms); using ${FALLBACK_SESSION_TIMEOUT_MS} ms`, groupId: this.options.groupId })}\n`,
    );
    refusedShortSession.add(this.kafka);
    await this.consumer.disconnect().catch(() => undefined);
    this.sessionRefused = false;
    this.consumer = this.createConsumer(FALLBACK_SESSION_TIMEOUT_MS);
    await this.run();
  }

  private async run(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    if (this.options.startPositions) {
      // kafkajs calls listeners synchronously while it joins, before the first fetch of the new
      // generation: the batches of that generation wait for `positioning`.
      this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
        this.assigned = Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
          partitions.map((partition) => ({ topic, partition })),
        );
        this.positioning = this.seekToStartPositions(this.assigned);
        // Awaited (and a failure reported) by the next batch, not here.
        this.positioning.catch(() => undefined);
      });
    }
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 1,
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        await this.positioned();
        // A start position was set for this partition: the next fetch reads from there.
        if (isStale()) return;
        const outcome = await whileHeartbeating(heartbeat, () =>
          this.handler({
            topic: batch.topic,
            partition: batch.partition,
            messages: batch.messages.map((m) => toConsumed(batch.topic, batch.partition, m)),
          }),
        );
        if (outcome) {
          this.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: outcome.seekTo });
          return;
        }
        const last = batch.lastOffset();
        resolveOffset(last);
        // The committed offset is the next one to read.
        await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
        await heartbeat();
      },
    });
  }

  /** A graceful stop leaves the group at once, so a successor never waits for this session to expire. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  private async seekToStartPositions(assigned: readonly TopicPartition[]): Promise<void> {
    const positions = await this.options.startPositions!(assigned);
    for (const p of positions) this.consumer.seek({ topic: p.topic, partition: p.partition, offset: p.offset });
  }

  /** Waits for the assignment's start positions; a failed lookup is tried again and the batch redelivered. */
  private async positioned(): Promise<void> {
    try {
      await this.positioning;
    } catch (err) {
      this.positioning = this.seekToStartPositions(this.assigned);
      this.positioning.catch(() => undefined);
      throw err;
    }
  }
}

/** Keeps the session alive while a long batch is handled (kafkajs itself heartbeats only between batches). */
async function whileHeartbeating<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  // A failed heartbeat (a rebalance began) is left to the runner, which sees it after the batch.
  const timer = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_INTERVAL_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** A kafkajs message as this library hands it out. */
export function toConsumed(topic: string, partition: number, m: KafkaMessage): ConsumedMessage {
  const headers: Record<string, string | undefined> = {};
  for (const [name, raw] of Object.entries(m.headers ?? {})) {
    const first = Array.isArray(raw) ? raw[0] : raw;
    headers[name] = first === undefined ? undefined : first.toString();
  }
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key ? m.key.toString('utf8') : null,
    headers,
    value: m.value,
    timestamp: m.timestamp,
  };
}
