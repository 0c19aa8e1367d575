import { subjectOf } from '@aal/contracts';
import { buildInclusionProof } from '@aal/ledger-core';
import { caseBundleReport } from '../case-bundle-verifier';
import { CASE_BUNDLE_FORMAT, type CaseBundle, type WireEntry } from '../wire-format';
import { entryContent, sealLog, signedCheckpoint, testSigner } from './log-fixture';

// A log in which one entry is a case's `case.opened` event, and the case bundle an honest ledger
// exports for it: a few related entries, each proven against one signed checkpoint. For tests.

export const TEST_CASE_ID = '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab';
export const OPENED_BY = { organisationId: 'hsib', personId: 'psn_investigator01', role: 'investigator' };
export const CASE_OPENED_SEQ = 9;

export interface TestCase {
  readonly origin: string;
  readonly verifierKey: string;
  readonly key: ReturnType<typeof testSigner>['key'];
  readonly bundle: CaseBundle;
  /** Every entry of the log the bundle was cut from. */
  readonly log: readonly WireEntry[];
}

function caseOpenedContent(seq: number) {
  const data = {
    caseId: TEST_CASE_ID,
    organisationId: 'hsib',
    title: 'Missed sepsis alert',
    incidentId: '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d',
    openedAgainst: { treeSize: 8, rootHash: 'ab'.repeat(32) },
    actor: OPENED_BY,
  };
  return {
    ...entryContent(seq),
    topic: 'aal.ledger.events.v1',
    headers: {
      'content-type': 'application/json',
      ce_specversion: '1.0',
      ce_id: `case-${seq}`,
      ce_source: '/aal/ledger/test',
      ce_type: 'aal.case.opened.v1',
      ce_subject: subjectOf('case', TEST_CASE_ID),
      ce_time: '2026-11-02T09:30:00.000Z',
    },
    value: Buffer.from(JSON.stringify(data)).toString('base64'),
  };
}

/** A log of `size` entries, a checkpoint at `size`, and the case bundle holding `related` (ascending). */
export function buildTestCase(
  size = 24,
  related: readonly number[] = [1, 4, CASE_OPENED_SEQ, 13, 20],
  origin = 'test.local/aal-ledger',
): TestCase {
  const { signer, verifierKey, key } = testSigner(origin);
  const {
    entries: log,
    nodes,
    root,
  } = sealLog(
    Array.from({ length: size }, (_, seq) => ({ seq, ...(seq === CASE_OPENED_SEQ ? caseOpenedContent(seq) : entryContent(seq)) })),
  );
  const checkpoint = signedCheckpoint(1, origin, size, root, signer);
  const entries = related.map((seq) => {
    const { chainHash: _chain, ...entry } = log[seq]!;
    return { ...entry, inclusionProof: buildInclusionProof(seq, size, nodes).map((h) => h.toString('hex')) };
  });
  const withoutReport: Omit<CaseBundle, 'report'> = {
    format: CASE_BUNDLE_FORMAT,
    origin,
    verifierKey,
    eventSigningKeys: [],
    exportedAt: '2026-11-02T10:00:00.000Z',
    checkpoint,
    entries,
    notCovered: [],
    case: {
      caseId: TEST_CASE_ID,
      title: 'Missed sepsis alert',
      organisationId: 'hsib',
      incidentId: '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d',
      openedBy: OPENED_BY,
      openedAgainst: { treeSize: 8, rootHash: 'ab'.repeat(32) },
    },
    // The log's entries are not catalogue events, so the ledger holds no answer for out-1: it says so,
    // and the verifier's recomputation agrees (accountable-case-fixture.ts has real answers).
    accountability: [
      {
        outputId: 'out-1',
        chain: null,
        problem: { code: 'OUTPUT.NOT_FOUND', detail: 'the ledger holds no output.generated for output out-1' },
      },
    ],
    shared: [],
    findings: [{ code: 'CASE.NOTE', title: 'Review shorter than policy minimum', detail: '20 s against 60 s', evidence: [4, 13] }],
  };
  // The report an honest ledger renders for it (case-evidence.query.ts does the same).
  const bundle: CaseBundle = {
    ...withoutReport,
    report: { mediaType: 'text/html', html: caseBundleReport(withoutReport, { key, origin }) },
  };
  return { origin, verifierKey, key, bundle, log };
}

/** The bundle as a file's text, with the byte at `index` of the text of entry `seq`'s `field` changed. */
export function withOneByteChanged(bundle: CaseBundle, seq: number, field: 'value' | 'recordedAt'): string {
  const text = JSON.stringify(bundle);
  const entry = bundle.entries.find((e) => e.seq === seq)!;
  const original = JSON.stringify(entry[field]);
  const at = text.indexOf(original);
  if (at < 0) throw new Error(`entry ${seq}'s ${field} not found in the bundle text`);
  const i = at + 5;
  const replacement = text[i] === 'A' ? 'B' : 'A';
  return `${text.slice(0, i)}${replacement}${text.slice(i + 1)}`;
}
