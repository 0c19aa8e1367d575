import type { KafkaClient } from '@aal/kafka';
import type { DataSource } from 'typeorm';
import type { ReadinessCheck } from './readiness';

export function postgresReadiness(dataSource: DataSource): ReadinessCheck {
  return { name: 'postgresql', check: async () => void (await dataSource.query('SELECT 1')) };
}

/** Asks the cluster for its metadata (through the client's one long-lived admin connection). */
export function kafkaReadiness(kafka: KafkaClient): ReadinessCheck & { close(): Promise<void> } {
  return { name: 'kafka', check: () => kafka.ping(), close: () => kafka.close() };
}
