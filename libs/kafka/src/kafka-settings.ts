import { topicNames, type TopicNames } from '@aal/contracts';

export interface KafkaSettings {
  readonly brokers: string[];
  readonly clientId: string;
  /** Prefix for every topic name, so several ledgers (or test runs) can share one broker. */
  readonly topicPrefix: string;
  /** Partitions for event topics when the project creates them. */
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
}

export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';

export function kafkaSettingsFromEnv(clientId: string, env: NodeJS.ProcessEnv = process.env): KafkaSettings {
  return {
    brokers: (env['KAFKA_BROKERS'] ?? DEFAULT_KAFKA_BROKERS)
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    clientId,
    topicPrefix: env['KAFKA_TOPIC_PREFIX'] ?? '',
    partitions: Number(env['KAFKA_PARTITIONS'] ?? 3),
    replicationFactor: Number(env['KAFKA_REPLICATION_FACTOR'] ?? 1),
    minInsyncReplicas: Number(env['KAFKA_MIN_INSYNC_REPLICAS'] ?? 1),
  };
}

export function topicsFor(settings: KafkaSettings): TopicNames {
  return topicNames(settings.topicPrefix);
}
