import type { Admin } from 'kafkajs';
import type { KafkaClient } from './kafka-client';
import { kafkajsOf } from './kafkajs-handle';
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

/**
 * Creates the missing topics and waits until every partition of every topic has a leader in the
 * metadata this client sees. Idempotent. Retries the broker's transient refusals (a fresh broker
 * briefly answers UNKNOWN_TOPIC_OR_PARTITION while the new topics propagate), boundedly.
 */
export async function ensureTopics(client: KafkaClient, specs: TopicSpec[]): Promise<string[]> {
  const admin = kafkajsOf(client).admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = specs.filter((s) => !existing.has(s.topic));
        if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
        await waitForLeaders(
          admin,
          specs.map((s) => s.topic),
        );
        return missing.map((s) => s.topic);
      } catch (err) {
        if (attempt >= 5 || !(err as { retriable?: boolean }).retriable) throw err;
        await new Promise((r) => setTimeout(r, 300 * attempt));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
    if (metadata.length === topics.length && metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`topics ${topics.join(', ')} have no leader after 10 s`);
}
