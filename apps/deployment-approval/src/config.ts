import { servicePort } from '@aal/contracts';
import { databaseSettingsFromEnv } from '@aal/database';
import { kafkaSettingsFromEnv } from '@aal/kafka';
import type { ProducerServiceConfig } from '@aal/service-kit';
import { hostname } from 'node:os';

export interface DeploymentApprovalConfig extends ProducerServiceConfig {
  readonly port: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): DeploymentApprovalConfig {
  return {
    service: 'deployment-approval',
    port: servicePort('deployment-approval', env),
    instanceId: env['INSTANCE_ID'] ?? hostname(),
    database: databaseSettingsFromEnv(env),
    kafka: kafkaSettingsFromEnv('deployment-approval', env),
  };
}
