import { EventKeyError, parseEventKeySet, type EventKeySet } from '@aal/ledger-core';
import { readFileSync } from 'node:fs';

/** Thrown at start-up when the trusted event keys are absent or unusable. */
export class EventKeysConfigError extends Error {}

const NONE: EventKeySet = new Map();

/**
 * Loads the event keys a service trusts from `EVENT_KEYS_FILE`: a JSON document
 * `{ "<producer>": { "keys": [ <Ed25519 public JWK>, ... ] } }`. The ledger MUST have one (a ledger
 * that trusted no keys would refuse every event, and one that trusted any would prove nothing);
 * a producer needs one only if it reads another producer's events (its projections refuse to start
 * without keys for the producer they read). Without the variable and not `required`, it trusts none.
 * Development key sets are made by `scripts/dev-keys.ts` into the git-ignored `.keys/`.
 */
export function eventKeysFromEnv(env: NodeJS.ProcessEnv = process.env, options: { required: boolean } = { required: true }): EventKeySet {
  const path = env['EVENT_KEYS_FILE'];
  if (!path) {
    if (!options.required) return NONE;
    throw new EventKeysConfigError(
      'no event keys: set EVENT_KEYS_FILE to the JSON key set of the producers ({ "<producer>": { "keys": [ <public JWK> ] } }); for development run `node -r ./scripts/register-paths.js dist/scripts/dev-keys.js`',
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new EventKeysConfigError(`cannot read EVENT_KEYS_FILE ${path}: ${(err as Error).message}`);
  }
  try {
    return parseEventKeySet(document);
  } catch (err) {
    if (err instanceof EventKeyError) throw new EventKeysConfigError(`EVENT_KEYS_FILE ${path}: ${err.message}`);
    throw err;
  }
}
