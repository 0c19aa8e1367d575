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

/**
 * Reads everything `topic` holds now: from each partition's first retained offset up to the high
 * watermark it had when the call began (messages arriving meanwhile are left for the next read),
 * in a throw-away consumer group. For operators inspecting a topic end to end (dead letters);
 * rejects after `timeoutMs` rather than return part of the topic as if it were all of it.
 */
export async function readTopicToEnd(client: KafkaClient, topic: string, timeoutMs = 60000): Promise<ConsumedMessage[]> {
  const kafka = kafkajsOf(client);
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, bigint>();
  try {
    for (const o of await admin.fetchTopicOffsets(topic)) if (BigInt(o.high) > BigInt(o.low)) ends.set(o.partition, BigInt(o.high));
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return [];
  const groupId = `reader-${randomBytes(6).toString('hex')}`;
  const consumer = kafka.consumer({ groupId });
  const messages: ConsumedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${topic} to its end took over ${timeoutMs} ms; ${messages.length} message(s) read`)),
        timeoutMs,
      );
      void consumer.run({
        // Per batch, not per message: the partition is done once the batch reaches the end, even
        // when the last offsets hold no message (transaction markers).
        eachBatch: async ({ batch }) => {
          const end = ends.get(batch.partition);
          if (end === undefined) return;
          for (const message of batch.messages)
            if (BigInt(message.offset) < end) messages.push(toConsumed(batch.topic, batch.partition, message));
          if (BigInt(batch.lastOffset()) >= end - 1n) ends.delete(batch.partition);
          if (ends.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
    await client.deleteGroup(groupId).catch(() => undefined);
  }
  return messages.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}
