import type { Admin, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { ReadinessCheck } from './readiness';

export function postgresReadiness(dataSource: DataSource): ReadinessCheck {
  return { name: 'postgresql', check: async () => void (await dataSource.query('SELECT 1')) };
}

/** Asks the cluster for its metadata through one long-lived admin connection. */
export function kafkaReadiness(kafka: Kafka): ReadinessCheck & { close(): Promise<void> } {
  let admin: Admin | null = null;
  return {
    name: 'kafka',
    check: async () => {
      try {
        if (!admin) {
          admin = kafka.admin();
          await admin.connect();
        }
        await admin.describeCluster();
      } catch (err) {
        const stale = admin;
        admin = null;
        await stale?.disconnect().catch(() => undefined);
        throw err;
      }
    },
    close: async () => {
      await admin?.disconnect().catch(() => undefined);
      admin = null;
    },
  };
}
