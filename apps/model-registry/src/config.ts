import { producerConfigFromEnv, type ProducerAppConfig } from '@aal/service-kit';

export type ModelRegistryConfig = ProducerAppConfig;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ModelRegistryConfig {
  return producerConfigFromEnv('model-registry', env);
}
