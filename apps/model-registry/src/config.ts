import { servicePort } from '@aal/contracts';
import { databaseSettingsFromEnv } from '@aal/database';
import { kafkaSettingsFromEnv } from '@aal/kafka';
import type { ProducerServiceConfig } from '@aal/service-kit';
import { hostname } from 'node:os';

export interface ModelRegistryConfig extends ProducerServiceConfig {
  readonly port: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ModelRegistryConfig {
  return {
    service: 'model-registry',
    port: servicePort('model-registry', env),
    instanceId: env['INSTANCE_ID'] ?? hostname(),
    database: databaseSettingsFromEnv(env),
    kafka: kafkaSettingsFromEnv('model-registry', env),
  };
}
