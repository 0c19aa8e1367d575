import { parseVerifierKey, verifierKeyString, type NoteSigner } from '@aal/ledger-core';
import { tokenFor } from '@aal/testing';
import { HttpLedgerSource, verifyLog, type VerifiedCheckpoint } from '@aal/verifier';

/** An auditor with the cross-organisation grant: the only caller who may read raw entries. */
const LOG_AUDITOR = { organisationId: 'log-witness', personId: 'psn_logwitness001', role: 'auditor' };

/**
 * Runs the independent verifier against a ledger's HTTP API, trusting only the given signer's
 * public key (pinned out of band, never fetched from the server).
 */
export async function verifyLedgerOverHttp(baseUrl: string, signer: NoteSigner, trusted: VerifiedCheckpoint | null = null) {
  const key = parseVerifierKey(verifierKeyString(signer.name, signer.publicKey));
  const token = await tokenFor(LOG_AUDITOR, { grants: ['all-organisations'] });
  return verifyLog(new HttpLedgerSource(baseUrl, { token }), { key, origin: signer.name, trusted });
}
