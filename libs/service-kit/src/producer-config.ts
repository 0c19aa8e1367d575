import { authSettingsFromEnv } from '@aal/auth';
import { servicePort } from '@aal/contracts';
import { databaseSettingsFromEnv } from '@aal/database';
import { kafkaSettingsFromEnv } from '@aal/kafka';
import { eventSigningKey, EventKeyError, type EventSigningKey } from '@aal/ledger-core';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { eventKeysFromEnv } from './event-keys-config';
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
    auth: authSettingsFromEnv(service, env),
    eventSigning: eventSigningKeyFromEnv(env),
    eventKeys: eventKeysFromEnv(env, { required: false }),
  };
}

/** Thrown at start-up when the service's event signing key is absent or unusable. */
export class EventSigningKeyError extends Error {}

/**
 * Loads the service's Ed25519 event signing key from `EVENT_SIGNING_KEY_FILE` (PKCS#8 PEM) or
 * `EVENT_SIGNING_KEY` (the PEM text). There is no fallback: a producer never publishes unsigned
 * events; development keys are made by `scripts/dev-keys.ts` into the git-ignored `.keys/`.
 */
export function eventSigningKeyFromEnv(env: NodeJS.ProcessEnv = process.env): EventSigningKey {
  const file = env['EVENT_SIGNING_KEY_FILE'];
  let pem = env['EVENT_SIGNING_KEY'];
  if (!pem && file) {
    try {
      pem = readFileSync(file, 'utf8');
    } catch (err) {
      throw new EventSigningKeyError(`cannot read EVENT_SIGNING_KEY_FILE ${file}: ${(err as Error).message}`);
    }
  }
  if (!pem) {
    throw new EventSigningKeyError(
      'no event signing key: set EVENT_SIGNING_KEY_FILE (or EVENT_SIGNING_KEY) to an Ed25519 PKCS#8 PEM; for development run `node -r ./scripts/register-paths.js dist/scripts/dev-keys.js`',
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new EventSigningKeyError(`the event signing key is not a readable private key: ${(err as Error).message}`);
  }
  try {
    return eventSigningKey(key);
  } catch (err) {
    if (err instanceof EventKeyError) throw new EventSigningKeyError(err.message);
    throw err;
  }
}
