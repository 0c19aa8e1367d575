import { verifierKeyString } from '@aal/ledger-core';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signerFromEnv } from './signing-key';

const pem = () => generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const keyOf = (signer: { name: string; publicKey: Buffer }) => verifierKeyString(signer.name, signer.publicKey);

describe('signerFromEnv: the checkpoint key and, during a rotation, the next one', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'aal-signing-key-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('given only the current key, when loaded, then there is no next signer', () => {
    const loaded = signerFromEnv({ LEDGER_SIGNING_KEY: pem(), LEDGER_ORIGIN: 'example.org/aal' });
    expect(loaded.origin).toBe('example.org/aal');
    expect(loaded.signer.name).toBe('example.org/aal');
    expect(loaded.nextSigner).toBeUndefined();
  });

  it('given a next key in a file, when loaded, then it signs under the same key name with another key id', () => {
    const file = join(dir, 'next.pem');
    writeFileSync(file, pem());
    const loaded = signerFromEnv({ LEDGER_SIGNING_KEY: pem(), LEDGER_NEXT_SIGNING_KEY_FILE: file });
    expect(loaded.nextSigner?.name).toBe(loaded.signer.name);
    expect(keyOf(loaded.nextSigner!)).not.toBe(keyOf(loaded.signer));
  });

  it('given the current key again as the next one, when loaded, then it refuses: a rotation needs a new key', () => {
    const same = pem();
    expect(() => signerFromEnv({ LEDGER_SIGNING_KEY: same, LEDGER_NEXT_SIGNING_KEY: same })).toThrow(
      'LEDGER_NEXT_SIGNING_KEY is the current checkpoint signing key: a rotation needs a new key',
    );
  });

  it('given an unreadable or non-Ed25519 next key, when loaded, then the error names the next key', () => {
    expect(() => signerFromEnv({ LEDGER_SIGNING_KEY: pem(), LEDGER_NEXT_SIGNING_KEY_FILE: join(dir, 'absent.pem') })).toThrow(
      /^cannot read LEDGER_NEXT_SIGNING_KEY_FILE .*absent\.pem/,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => signerFromEnv({ LEDGER_SIGNING_KEY: pem(), LEDGER_NEXT_SIGNING_KEY: rsa })).toThrow(
      'the next checkpoint signing key must be Ed25519, not rsa',
    );
  });

  it('given no key at all, when loaded, then it refuses to invent one', () => {
    expect(() => signerFromEnv({})).toThrow(/^no checkpoint signing key/);
  });
});
