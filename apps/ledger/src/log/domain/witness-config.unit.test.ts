import { ed25519Signer, verifierKeyString, witnessVerifierKeyString } from '@aal/ledger-core';
import { generateKeyPairSync } from 'node:crypto';
import { parseWitnesses, WitnessConfigError } from './witness-config';

const signer = (name: string) => ed25519Signer(name, generateKeyPairSync('ed25519').privateKey);
const regulator = signer('regulator.example/witness');
const body = signer('body.example/witness');
const keyOf = (s: ReturnType<typeof signer>) => witnessVerifierKeyString(s.name, s.publicKey);

describe('WITNESSES', () => {
  it('given nothing, when parsed, then there is no witness', () => {
    expect(parseWitnesses(undefined)).toEqual([]);
    expect(parseWitnesses('  ')).toEqual([]);
  });

  it('given two url=key entries, when parsed, then each keeps its URL (trailing slash dropped) and its parsed key', () => {
    const parsed = parseWitnesses(`http://127.0.0.1:3010/=${keyOf(regulator)}, https://witness.body.example/w=${keyOf(body)}`);
    expect(parsed.map((w) => [w.url, w.key.name])).toEqual([
      ['http://127.0.0.1:3010', regulator.name],
      ['https://witness.body.example/w', body.name],
    ]);
  });

  it.each([
    ['no key', 'http://127.0.0.1:3010'],
    ['not a URL', `ftp://x=${keyOf(regulator)}`],
    ['a log key instead of a witness key', `http://127.0.0.1:3010=${verifierKeyString(regulator.name, regulator.publicKey)}`],
    ['the same witness twice', `http://a.example=${keyOf(regulator)},http://b.example=${keyOf(regulator)}`],
  ])('given %s, when parsed, then start-up fails with the reason', (_, text) => {
    expect(() => parseWitnesses(text)).toThrow(WitnessConfigError);
  });
});
