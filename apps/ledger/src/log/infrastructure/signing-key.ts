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
 *
 * Rotation: while `LEDGER_NEXT_SIGNING_KEY_FILE` (or `LEDGER_NEXT_SIGNING_KEY`) is set, every
 * checkpoint is signed by both keys, under the same key name, so verifiers and witnesses can move
 * to the next key before the current one is retired (docs/operations.md, "Keys and their rotation").
 */
export function signerFromEnv(env: NodeJS.ProcessEnv = process.env): { origin: string; signer: NoteSigner; nextSigner?: NoteSigner } {
  const origin = env['LEDGER_ORIGIN'] ?? DEFAULT_ORIGIN;
  const name = env['LEDGER_KEY_NAME'] ?? origin;
  const pem = pemFromEnv(env, 'LEDGER_SIGNING_KEY');
  if (!pem) {
    throw new SigningKeyError(
      'no checkpoint signing key: set LEDGER_SIGNING_KEY_FILE (or LEDGER_SIGNING_KEY) to an Ed25519 PKCS#8 PEM; for development run `node -r ./scripts/register-paths.js dist/scripts/dev-keys.js`',
    );
  }
  const signer = ed25519Signer(name, parseKey(pem, 'the checkpoint signing key'));
  const nextPem = pemFromEnv(env, 'LEDGER_NEXT_SIGNING_KEY');
  if (!nextPem) return { origin, signer };
  const nextSigner = ed25519Signer(name, parseKey(nextPem, 'the next checkpoint signing key'));
  if (nextSigner.publicKey.equals(signer.publicKey))
    throw new SigningKeyError('LEDGER_NEXT_SIGNING_KEY is the current checkpoint signing key: a rotation needs a new key');
  return { origin, signer, nextSigner };
}

/** The PEM of `<variable>` or of the file `<variable>_FILE`, if either is set. */
function pemFromEnv(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  const text = env[variable];
  if (text) return text;
  const path = env[`${variable}_FILE`];
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new SigningKeyError(`cannot read ${variable}_FILE ${path}: ${(err as Error).message}`);
  }
}

function parseKey(pem: string, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new SigningKeyError(`${what} is not a readable private key: ${(err as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`${what} must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}
