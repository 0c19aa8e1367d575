import { ed25519Signer, type NoteSigner } from '@aal/ledger-core';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const DEFAULT_ORIGIN = 'localhost/ai-accountability-ledger';

/** Thrown at start-up when the checkpoint signing key is absent or unusable. */
export class SigningKeyError extends Error {}

/**
 * Loads the Ed25519 checkpoint signing key from `LEDGER_SIGNING_KEY_FILE` (PKCS#8 PEM) or
 * `LEDGER_SIGNING_KEY` (the PEM text). There is no fallback: a ledger never invents its identity;
 * development keys are made by `scripts/dev-keys.ts` into the git-ignored `.keys/`.
 */
export function signerFromEnv(env: NodeJS.ProcessEnv = process.env): { origin: string; signer: NoteSigner } {
  const origin = env['LEDGER_ORIGIN'] ?? DEFAULT_ORIGIN;
  const pem = env['LEDGER_SIGNING_KEY'] ?? (env['LEDGER_SIGNING_KEY_FILE'] ? readPem(env['LEDGER_SIGNING_KEY_FILE']) : undefined);
  if (!pem) {
    throw new SigningKeyError(
      'no checkpoint signing key: set LEDGER_SIGNING_KEY_FILE (or LEDGER_SIGNING_KEY) to an Ed25519 PKCS#8 PEM; for development run `node -r ./scripts/register-paths.js dist/scripts/dev-keys.js`',
    );
  }
  return { origin, signer: ed25519Signer(env['LEDGER_KEY_NAME'] ?? origin, parseKey(pem)) };
}

function readPem(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new SigningKeyError(`cannot read LEDGER_SIGNING_KEY_FILE ${path}: ${(err as Error).message}`);
  }
}

function parseKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new SigningKeyError(`the checkpoint signing key is not a readable private key: ${(err as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new SigningKeyError(`the checkpoint signing key must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}
