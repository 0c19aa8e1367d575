import { ed25519Signer, witnessVerifierKeyString, type NoteSigner } from '@aal/ledger-core';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

/** The witness key file: its name and Ed25519 private key (PKCS#8 PEM), readable by the witness only. */
interface WitnessKeyFile {
  readonly format: 'aal-witness-key/v1';
  readonly name: string;
  readonly privateKey: string;
}

/** Makes a new witness key file (mode 0600) and returns the witness verifier key (type 0x04) to publish. */
export function generateWitnessKey(name: string, path: string): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  const signer = ed25519Signer(name, privateKey);
  const file: WitnessKeyFile = {
    format: 'aal-witness-key/v1',
    name,
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return witnessVerifierKeyString(signer.name, signer.publicKey);
}

/** Loads a witness key file written by `generateWitnessKey`. */
export function loadWitnessKey(path: string): { signer: NoteSigner; verifierKey: string } {
  const file = JSON.parse(readFileSync(path, 'utf8')) as WitnessKeyFile;
  if (file.format !== 'aal-witness-key/v1' || typeof file.name !== 'string' || typeof file.privateKey !== 'string') {
    throw new Error(`${path} is not an aal-witness-key/v1 file`);
  }
  const signer = ed25519Signer(file.name, createPrivateKey(file.privateKey));
  return { signer, verifierKey: witnessVerifierKeyString(signer.name, signer.publicKey) };
}
