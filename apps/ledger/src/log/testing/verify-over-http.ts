import { parseVerifierKey, verifierKeyString, type NoteSigner } from '@aal/ledger-core';
import { HttpLedgerSource, verifyLog, type VerifiedCheckpoint } from '@aal/verifier';

/**
 * Runs the independent verifier against a ledger's HTTP API, trusting only the given signer's
 * public key (pinned out of band, never fetched from the server).
 */
export function verifyLedgerOverHttp(baseUrl: string, signer: NoteSigner, trusted: VerifiedCheckpoint | null = null) {
  const key = parseVerifierKey(verifierKeyString(signer.name, signer.publicKey));
  return verifyLog(new HttpLedgerSource(baseUrl), { key, origin: signer.name, trusted });
}
