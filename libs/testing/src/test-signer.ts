import { ed25519Signer } from '@aal/ledger-core';
import { generateKeyPairSync } from 'node:crypto';

/** Checkpoint settings with a fresh Ed25519 key, for tests; returns the key pair too. */
export function testCheckpointSettings(origin = 'test.local/aal-ledger', overrides: { minIntervalMs?: number; idleIntervalMs?: number } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    settings: { origin, signer: ed25519Signer(origin, privateKey), minIntervalMs: overrides.minIntervalMs ?? 100, idleIntervalMs: overrides.idleIntervalMs ?? 1000 },
    privateKey,
    publicKey,
  };
}
