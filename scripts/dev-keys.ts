import { SERVICE_NAMES } from '@aal/contracts';
import { ed25519Signer, publicEventJwk, verifierKeyString } from '@aal/ledger-core';
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateWitnessKey, loadWitnessKey } from '../libs/witness/src/witness-key';

/**
 * Development keys only, in the git-ignored `.keys/` (or `KEYS_DIR`), each created unless it exists:
 * - the ledger's Ed25519 checkpoint signing key, and the matching verifier key next to it;
 * - one Ed25519 event signing key per service that publishes events
 *   (`<service>-event-signing-key.pem`, for its EVENT_SIGNING_KEY_FILE), and `event-keys.json`,
 *   the ledger's EVENT_KEYS_FILE trusting exactly those keys (rewritten on every run).
 * - the demo's "regulator" witness key (`regulator-witness-key.json`, for `ledger-witness serve`)
 *   and its verifier key `regulator-witness-verifier-key.txt` (for WITNESSES and ledger-verify).
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

/** Services that sign the events they publish; the ledger signs its own case events too. */
const EVENT_PRODUCERS = SERVICE_NAMES;
const eventKeys: Record<string, { keys: ReturnType<typeof publicEventJwk>[] }> = {};
for (const producer of EVENT_PRODUCERS) {
  const file = join(dir, `${producer}-event-signing-key.pem`);
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    process.stdout.write(`created development event signing key ${file}\n`);
  }
  eventKeys[producer] = { keys: [publicEventJwk(createPrivateKey(readFileSync(file, 'utf8')))] };
}
writeFileSync(join(dir, 'event-keys.json'), `${JSON.stringify(eventKeys, null, 2)}\n`);
process.stdout.write(
  `event keys the ledger trusts (EVENT_KEYS_FILE, also for ledger-verify --event-keys): ${join(dir, 'event-keys.json')}\n`,
);

/**
 * The development identity provider's Ed25519 token-signing key (private JWK) and the JWKS every
 * service trusts through AUTH_JWKS_FILE. Tokens are issued by scripts/dev-token.ts.
 */
const identityKeyFile = join(dir, 'identity-signing-key.json');
if (!existsSync(identityKeyFile)) {
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(identityKeyFile, `${JSON.stringify(privateKey.export({ format: 'jwk' }))}\n`, { mode: 0o600 });
  process.stdout.write(`created development identity key ${identityKeyFile}\n`);
}
const identityPrivate = JSON.parse(readFileSync(identityKeyFile, 'utf8')) as { kty: string; crv: string; x: string };
const identityPublic = { kty: identityPrivate.kty, crv: identityPrivate.crv, x: identityPrivate.x };
const identityKid = createHash('sha256').update(JSON.stringify(identityPublic)).digest('base64url');
writeFileSync(
  join(dir, 'identity-jwks.json'),
  `${JSON.stringify({ keys: [{ ...identityPublic, kid: identityKid, alg: 'EdDSA', use: 'sig' }] }, null, 2)}\n`,
);
process.stdout.write(`identity provider keys the services trust (AUTH_JWKS_FILE): ${join(dir, 'identity-jwks.json')}\n`);

/** The demo witness run by "the regulator": in real life its key never leaves the regulator. */
const witnessKeyFile = join(dir, 'regulator-witness-key.json');
if (!existsSync(witnessKeyFile)) {
  generateWitnessKey('regulator.localhost/witness', witnessKeyFile);
  process.stdout.write(`created development witness key ${witnessKeyFile}\n`);
}
const witnessVerifierKey = loadWitnessKey(witnessKeyFile).verifierKey;
writeFileSync(join(dir, 'regulator-witness-verifier-key.txt'), `${witnessVerifierKey}\n`);
process.stdout.write(`regulator witness key (for ledger-verify --witness-key): ${witnessVerifierKey}\n`);
