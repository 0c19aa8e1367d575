import { producerConfigFromEnv, type ProducerAppConfig } from '@aal/service-kit';

export type DeploymentApprovalConfig = ProducerAppConfig;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): DeploymentApprovalConfig {
  return producerConfigFromEnv('deployment-approval', env);
}
