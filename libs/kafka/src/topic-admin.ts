import type { Kafka } from 'kafkajs';
import type { KafkaSettings } from './kafka-settings';
import { topicsFor } from './kafka-settings';

export interface TopicSpec {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly configEntries: Array<{ name: string; value: string }>;
}

/**
 * Every topic the system uses, created explicitly (the broker never auto-creates). Event topics
 * and the dead-letter topic keep everything forever: the ledger may need to be rebuilt from them.
 */
export function systemTopicSpecs(settings: KafkaSettings): TopicSpec[] {
  const names = topicsFor(settings);
  const forever = [
    { name: 'retention.ms', value: '-1' },
    { name: 'retention.bytes', value: '-1' },
    { name: 'cleanup.policy', value: 'delete' },
    { name: 'min.insync.replicas', value: String(settings.minInsyncReplicas) },
    { name: 'unclean.leader.election.enable', value: 'false' },
  ];
  return [...Object.values(names.events), names.deadLetter].map((topic) => ({
    topic,
    numPartitions: topic === names.deadLetter ? 1 : settings.partitions,
    replicationFactor: settings.replicationFactor,
    configEntries: forever,
  }));
}

/** Creates the missing topics and waits for their leaders. Idempotent. */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length > 0) {
      await admin.createTopics({ topics: missing, waitForLeaders: true });
    }
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}
