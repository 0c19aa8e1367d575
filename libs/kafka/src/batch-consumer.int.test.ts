import { createTestKafka, eventually } from '@aal/testing';
import { BatchConsumer, type ConsumedBatch } from './batch-consumer';
import { EventPublisher } from './event-publisher';
import { topicsFor } from './kafka-settings';

/** A consumer whose own store says where it stands: start positions and seeks asked by the handler. */
describe('BatchConsumer positions', () => {
  it('starts each assigned partition where startPositions says, and reads again from where a handler asks', async () => {
    const { kafka, settings } = await createTestKafka('batch-consumer-test');
    // The dead-letter topic has one partition: every message lands on partition 0, in order.
    const topic = topicsFor(settings).deadLetter;
    const publisher = new EventPublisher(kafka);
    await publisher.publish(Array.from({ length: 10 }, (_, i) => ({ topic, key: 'k', headers: {}, value: `m${i}` })));
    await publisher.disconnect();

    const seen: string[] = [];
    let soughtBack = false;
    const consumer = new BatchConsumer(
      kafka,
      {
        groupId: `${settings.topicPrefix}positions`,
        topics: [topic],
        startPositions: async (assigned) => assigned.map((p) => ({ ...p, offset: '4' })),
      },
      async (batch: ConsumedBatch) => {
        // Once, the first batch is refused and the partition read again from offset 6.
        if (!soughtBack) {
          soughtBack = true;
          seen.push(`refused ${batch.messages[0]!.offset}`);
          return { seekTo: '6' };
        }
        seen.push(...batch.messages.map((m) => m.offset));
        return undefined;
      },
    );
    try {
      await consumer.start();
      await eventually(
        async () => seen,
        (s) => s.includes('9'),
        30000,
        'offset 9',
      );
      // Offsets 0..3 are never delivered (the start position is 4, though the group has no
      // committed offset and reads from the beginning), and 4..5 only in the refused batch.
      expect(seen).toEqual(['refused 4', '6', '7', '8', '9']);
    } finally {
      await consumer.stop();
    }
  });
});
