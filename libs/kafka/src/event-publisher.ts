import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { KafkaClient } from './kafka-client';
import { kafkajsOf } from './kafkajs-handle';

export interface OutgoingMessage {
  readonly topic: string;
  readonly key: string;
  readonly headers: Record<string, string>;
  readonly value: string;
}

/**
 * Idempotent, acks=all producer. `publish` resolves only when every message is acknowledged by
 * the in-sync replicas, so a caller may then mark them sent; one in-flight request per broker
 * keeps per-partition order even across retries.
 */
export class EventPublisher {
  private producer: Producer;
  private connected = false;

  private readonly kafka: Kafka;

  constructor(client: KafkaClient) {
    this.kafka = kafkajsOf(client);
    this.producer = this.newProducer();
  }

  private newProducer(): Producer {
    // Murmur2 partitioning (the Java client's default), so other clients agree on key placement.
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    if (!this.connected) {
      await this.producer.connect();
      this.connected = true;
    }
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    try {
      await this.producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, ms]) => ({
          topic,
          // Copied: the Kafka instrumentation adds its own `traceparent` header to what it is given.
          messages: ms.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })),
        })),
      });
    } catch (err) {
      await this.replaceProducer();
      throw err;
    }
  }

  /**
   * After a failed send the idempotent producer's sequence numbers may no longer match the
   * broker's (kafkajs then keeps failing with OUT_OF_ORDER_SEQUENCE_NUMBER, seen after a broker
   * restart). A new producer gets a new producer id; the caller re-sends, and consumers
   * de-duplicate by event id.
   */
  private async replaceProducer(): Promise<void> {
    const broken = this.producer;
    this.producer = this.newProducer();
    this.connected = false;
    await broken.disconnect().catch(() => undefined);
  }

  async disconnect(): Promise<void> {
    if (this.connected) {
      this.connected = false;
      await this.producer.disconnect();
    }
  }
}
