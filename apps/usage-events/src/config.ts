import { producerConfigFromEnv, type ProducerAppConfig } from '@aal/service-kit';

export type UsageEventsConfig = ProducerAppConfig;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): UsageEventsConfig {
  return producerConfigFromEnv('usage-events', env);
}
