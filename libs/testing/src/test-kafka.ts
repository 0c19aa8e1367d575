import { createKafka, ensureTopics, systemTopicSpecs, type KafkaClient, type KafkaSettings } from '@aal/kafka';
import { randomBytes } from 'node:crypto';

/**
 * Kafka settings with a topic prefix unique to this test file (or the one given), and the topics
 * created: on the shared broker (KAFKA_BROKERS, set by jest's global setup) unless `brokers` names
 * another, such as a test's private broker.
 */
export async function createTestKafka(
  clientId: string,
  options: { brokers?: string; topicPrefix?: string; partitions?: number } = {},
): Promise<{ settings: KafkaSettings; kafka: KafkaClient }> {
  const brokers = options.brokers ?? process.env['KAFKA_BROKERS'];
  if (!brokers) throw new Error('KAFKA_BROKERS is not set; run tests through jest (global setup sets it)');
  const settings: KafkaSettings = {
    brokers: brokers.split(','),
    clientId,
    topicPrefix: options.topicPrefix ?? `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}.`,
    partitions: options.partitions ?? 3,
    replicationFactor: 1,
    minInsyncReplicas: 1,
  };
  const kafka = createKafka(settings, quietKafkaLog);
  await ensureTopics(kafka, systemTopicSpecs(settings));
  return { settings, kafka };
}

/** kafkajs logs retriable coordinator errors at ERROR while a group forms; tests keep only real failures. */
export function quietKafkaLog(entry: { level: string; message: string }): void {
  if (entry.level === 'ERROR' && !/coordinator|rebalanc|not available|loading/i.test(entry.message)) {
    process.stderr.write(`[kafkajs] ${entry.message}\n`);
  }
}
