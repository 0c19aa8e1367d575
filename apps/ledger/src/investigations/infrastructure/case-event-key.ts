import { eventSigningKey, publicEventJwk, type EventKeySet, type EventSigningKey } from '@aal/ledger-core';
import { eventSigningKeyFromEnv } from '@aal/service-kit';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { LedgerConfig } from '../../config';

const keys = new WeakMap<LedgerConfig, EventSigningKey>();

/**
 * The key the ledger signs its own case events with, like any producer signs its events: from
 * `EVENT_SIGNING_KEY_FILE` / `EVENT_SIGNING_KEY` (the producers' variables; each service is its
 * own process). Without one (tests, a first development run) the ledger makes an in-memory key
 * and trusts it for as long as it runs: case events it wrote under an earlier process's key and
 * had not yet published would then be dead-lettered, so a deployed ledger MUST configure one
 * (and list its public key under `ledger` in EVENT_KEYS_FILE when several instances share a log).
 * One key per configuration object, so the intake trusts exactly the key the outbox signs with.
 */
export function caseEventSigningKey(config: LedgerConfig, env: NodeJS.ProcessEnv = process.env): EventSigningKey {
  let key = keys.get(config);
  if (!key) {
    key =
      env['EVENT_SIGNING_KEY'] || env['EVENT_SIGNING_KEY_FILE']
        ? eventSigningKeyFromEnv(env)
        : eventSigningKey(generateKeyPairSync('ed25519').privateKey);
    keys.set(config, key);
  }
  return key;
}

/** `trusted` plus the ledger's own case-event key under producer `ledger` (configured `ledger` keys stay trusted). */
export function trustingOwnCaseEvents(trusted: EventKeySet, own: EventSigningKey): EventKeySet {
  const ledgerKeys = new Map(trusted.get('ledger') ?? []);
  ledgerKeys.set(own.kid, createPublicKey(own.privateKey));
  return new Map([...trusted, ['ledger', ledgerKeys]]);
}

/** Every trusted producer key as `{ producer, key }` (public JWK, JSON), for export bundles. */
export function publicEventKeys(trusted: EventKeySet): Array<{ producer: string; key: string }> {
  return [...trusted].flatMap(([producer, byKid]) =>
    [...byKid.values()].map((k) => ({ producer, key: JSON.stringify(publicEventJwk(k)) })),
  );
}
