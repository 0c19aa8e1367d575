import { servicePort } from '@aal/contracts';
import { databaseSettingsFromEnv } from '@aal/database';
import { kafkaSettingsFromEnv } from '@aal/kafka';
import type { ProducerServiceConfig } from '@aal/service-kit';
import { hostname } from 'node:os';

export interface UsageEventsConfig extends ProducerServiceConfig {
  readonly port: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): UsageEventsConfig {
  return {
    service: 'usage-events',
    port: servicePort('usage-events', env),
    instanceId: env['INSTANCE_ID'] ?? hostname(),
    database: databaseSettingsFromEnv(env),
    kafka: kafkaSettingsFromEnv('usage-events', env),
  };
}
