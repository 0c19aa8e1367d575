import { authSettingsFromEnv, type AuthSettings } from '@aal/auth';
import {
  DEFAULT_OVERSIGHT_THRESHOLDS,
  DEFAULT_RECURRING_PATTERN_INCIDENTS,
  thresholdVariable,
  type OversightThresholds,
} from '@aal/accountability';
import { servicePort } from '@aal/contracts';
import { databaseSettingsFromEnv, type DatabaseSettings } from '@aal/database';
import { kafkaSettingsFromEnv, type KafkaSettings } from '@aal/kafka';
import type { EventKeySet } from '@aal/ledger-core';
import { eventKeysFromEnv, retentionSettingsFromEnv, type RetentionSettings } from '@aal/service-kit';
import { LEDGER_SCHEMA } from './database/ledger.schema';
import { selfAuditFromEnv, type SelfAuditSettings } from './accountability/application/self-audit';
import type { CheckpointSettings } from './log/domain/signing-config';
import { DEFAULT_WITNESS_INTERVAL_MS, parseWitnesses, type WitnessSettings } from './log/domain/witness-config';
import { signerFromEnv } from './log/infrastructure/signing-key';

export interface LedgerConfig {
  readonly port: number;
  readonly database: DatabaseSettings;
  readonly kafka: KafkaSettings;
  readonly checkpoints: CheckpointSettings;
  readonly auth: AuthSettings;
  /** Trusted event signing keys per producer; events not signed by one are dead-lettered. */
  readonly eventKeys: EventKeySet;
  /** Witnesses to ask for cosignatures (none when absent); see docs/witnesses.md. */
  readonly witnesses?: WitnessSettings;
  /** The background self-audit of answers (SELF_AUDIT_*); defaults when absent. */
  readonly selfAudit?: SelfAuditSettings;
  /** Thresholds of the deployment oversight findings (OVERSIGHT_*); defaults when absent. */
  readonly oversight?: OversightThresholds;
  /** The retention job (RETENTION_*, docs/retention.md); defaults when absent. */
  readonly retention?: RetentionSettings;
  /** Incidents a finding must be linked about for PATTERN.RECURRING_FINDING (RECURRING_PATTERN_INCIDENTS); the default when absent. */
  readonly recurringPatternIncidents?: number;
}

/** `RECURRING_PATTERN_INCIDENTS`, a whole number of 2 or more (default DEFAULT_RECURRING_PATTERN_INCIDENTS); anything else stops the start-up. */
export function recurringPatternIncidentsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env['RECURRING_PATTERN_INCIDENTS'];
  if (text === undefined || text === '') return DEFAULT_RECURRING_PATTERN_INCIDENTS;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 2)
    throw new Error(`RECURRING_PATTERN_INCIDENTS must be a whole number of 2 or more, not ${JSON.stringify(text)}`);
  return value;
}

/**
 * The oversight findings' thresholds from `OVERSIGHT_<NAME>` (e.g. `OVERSIGHT_BELOW_MINIMUM_SHARE=0.25`),
 * each defaulting to DEFAULT_OVERSIGHT_THRESHOLDS (docs/findings.md). A value that is not a number
 * of 0 or more stops the start-up, naming the variable.
 */
export function oversightThresholdsFromEnv(env: NodeJS.ProcessEnv = process.env): OversightThresholds {
  const read = (name: keyof OversightThresholds): number => {
    const variable = thresholdVariable(name);
    const text = env[variable];
    if (text === undefined || text === '') return DEFAULT_OVERSIGHT_THRESHOLDS[name];
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${variable} must be a number of 0 or more, not ${JSON.stringify(text)}`);
    return value;
  };
  return {
    minimumActions: read('minimumActions'),
    belowMinimumShare: read('belowMinimumShare'),
    trendWindow: read('trendWindow'),
    trendReviewFall: read('trendReviewFall'),
    trendVolumeRise: read('trendVolumeRise'),
    untrainedShare: read('untrainedShare'),
  };
}

/** `WITNESSES`, `WITNESS_INTERVAL_MS` (default 60 s), `WITNESS_TIMEOUT_MS` (default 10 s), `WITNESS_BEHIND_AFTER_INTERVALS` (default 3). */
export function witnessSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WitnessSettings {
  return {
    witnesses: parseWitnesses(env['WITNESSES']),
    intervalMs: Number(env['WITNESS_INTERVAL_MS'] ?? DEFAULT_WITNESS_INTERVAL_MS),
    timeoutMs: Number(env['WITNESS_TIMEOUT_MS'] ?? 10_000),
    behindAfterIntervals: Number(env['WITNESS_BEHIND_AFTER_INTERVALS'] ?? 3),
  };
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
    witnesses: witnessSettingsFromEnv(env),
    selfAudit: selfAuditFromEnv(env),
    oversight: oversightThresholdsFromEnv(env),
    recurringPatternIncidents: recurringPatternIncidentsFromEnv(env),
    retention: retentionSettingsFromEnv(LEDGER_SCHEMA, env),
  };
}
