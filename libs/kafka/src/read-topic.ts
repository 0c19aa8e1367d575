import { randomBytes } from 'node:crypto';
import { toConsumed, type ConsumedMessage } from './batch-consumer';
import type { KafkaClient } from './kafka-client';
import { kafkajsOf } from './kafkajs-handle';

/**
 * Reads `topic` from the beginning, in a throw-away consumer group, until `count` messages arrived
 * or `timeoutMs` passed: for tests, benchmarks and operators inspecting a topic (dead letters).
 */
export async function readTopic(client: KafkaClient, topic: string, count: number, timeoutMs = 30000): Promise<ConsumedMessage[]> {
  const consumer = kafkajsOf(client).consumer({ groupId: `reader-${randomBytes(6).toString('hex')}` });
  const messages: ConsumedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: async ({ topic: from, partition, message }) => {
          messages.push(toConsumed(from, partition, message));
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
