import { authSettingsFromEnv, type AuthSettings } from '@aal/auth';
import { servicePort } from '@aal/contracts';
import { databaseSettingsFromEnv, type DatabaseSettings } from '@aal/database';
import { kafkaSettingsFromEnv, type KafkaSettings } from '@aal/kafka';
import type { EventKeySet } from '@aal/ledger-core';
import { eventKeysFromEnv } from '@aal/service-kit';
import { selfAuditFromEnv, type SelfAuditSettings } from './accountability/application/self-audit';
import type { CheckpointSettings } from './log/domain/signing-config';
import { signerFromEnv } from './log/infrastructure/signing-key';

export interface LedgerConfig {
  readonly port: number;
  readonly database: DatabaseSettings;
  readonly kafka: KafkaSettings;
  readonly checkpoints: CheckpointSettings;
  readonly auth: AuthSettings;
  /** Trusted event signing keys per producer; events not signed by one are dead-lettered. */
  readonly eventKeys: EventKeySet;
  /** The background self-audit of answers (SELF_AUDIT_*); defaults when absent. */
  readonly selfAudit?: SelfAuditSettings;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  return {
    port: servicePort('ledger', env),
    database: databaseSettingsFromEnv(env),
    kafka: kafkaSettingsFromEnv('ledger', env),
    auth: authSettingsFromEnv('ledger', env),
    checkpoints: {
      ...signerFromEnv(env),
      minIntervalMs: Number(env['CHECKPOINT_MIN_INTERVAL_MS'] ?? 1000),
      idleIntervalMs: Number(env['CHECKPOINT_IDLE_INTERVAL_MS'] ?? 5000),
    },
    eventKeys: eventKeysFromEnv(env),
    selfAudit: selfAuditFromEnv(env),
  };
}
