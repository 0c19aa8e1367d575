import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';

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
 * Handles one batch of one partition. It MUST make the batch durable (or dead-letter it) before
 * resolving: the offset is committed right after, and a rejected promise makes Kafka redeliver.
 */
export type BatchHandler = (batch: ConsumedBatch) => Promise<void>;

export interface BatchConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly fromBeginning?: boolean;
  readonly maxBytesPerPartition?: number;
  /** Batches of different partitions handled at once (the handler MUST be safe for that). */
  readonly partitionsConcurrently?: number;
}

/** A consumer-group member that hands whole batches to one handler and commits after it. */
export class BatchConsumer {
  private readonly consumer: Consumer;

  constructor(
    kafka: Kafka,
    private readonly options: BatchConsumerOptions,
    private readonly handler: BatchHandler,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1024 * 1024,
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10000 },
    });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 1,
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        await this.handler({
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages.map((m) => toConsumed(batch.topic, batch.partition, m)),
        });
        const last = batch.lastOffset();
        resolveOffset(last);
        // The committed offset is the next one to read.
        await this.consumer.commitOffsets([
          { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
        ]);
        await heartbeat();
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

function toConsumed(topic: string, partition: number, m: KafkaMessage): ConsumedMessage {
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
