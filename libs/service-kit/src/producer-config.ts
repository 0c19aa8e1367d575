import { servicePort } from '@aal/contracts';
import { databaseSettingsFromEnv } from '@aal/database';
import { kafkaSettingsFromEnv } from '@aal/kafka';
import { hostname } from 'node:os';
import type { ProducerService, ProducerServiceConfig } from './producer-kit.module';

export interface ProducerAppConfig extends ProducerServiceConfig {
  readonly port: number;
}

/** A producing service's configuration from the environment (see README, "Configuration"). */
export function producerConfigFromEnv(service: ProducerService, env: NodeJS.ProcessEnv = process.env): ProducerAppConfig {
  return {
    service,
    port: servicePort(service, env),
    instanceId: env['INSTANCE_ID'] ?? hostname(),
    database: databaseSettingsFromEnv(env),
    kafka: kafkaSettingsFromEnv(service, env),
  };
}
