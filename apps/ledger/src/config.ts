import { servicePort } from '@aal/contracts';
import { databaseSettingsFromEnv, type DatabaseSettings } from '@aal/database';
import { kafkaSettingsFromEnv, type KafkaSettings } from '@aal/kafka';

export interface LedgerConfig {
  readonly port: number;
  readonly database: DatabaseSettings;
  readonly kafka: KafkaSettings;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  return {
    port: servicePort('ledger', env),
    database: databaseSettingsFromEnv(env),
    kafka: kafkaSettingsFromEnv('ledger', env),
  };
}
