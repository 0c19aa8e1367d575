import { ed25519Signer, verifierKeyString } from '@aal/ledger-core';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Development keys only: creates the ledger's Ed25519 checkpoint signing key in the git-ignored
 * `.keys/` (or `KEYS_DIR`) unless it exists, and writes the matching verifier key next to it.
 * Production keys come from your key management, never from this script.
 */
const dir = resolve(process.env['KEYS_DIR'] ?? join(__dirname, '..', '..', '.keys'));
const keyFile = join(dir, 'ledger-signing-key.pem');
const origin = process.env['LEDGER_ORIGIN'] ?? 'localhost/ai-accountability-ledger';

mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
if (!existsSync(keyFile)) {
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  process.stdout.write(`created development checkpoint key ${keyFile}\n`);
}
const signer = ed25519Signer(process.env['LEDGER_KEY_NAME'] ?? origin, createPrivateKey(readFileSync(keyFile, 'utf8')));
const verifierKey = verifierKeyString(signer.name, signer.publicKey);
writeFileSync(join(dir, 'ledger-verifier-key.txt'), `${verifierKey}\n`);
process.stdout.write(`verifier key (pin it in ledger-verify): ${verifierKey}\n`);
