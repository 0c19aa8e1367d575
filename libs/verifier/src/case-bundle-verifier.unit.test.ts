import { entryLeafHash, openNote, parseCheckpoint, signCheckpoint } from '@aal/ledger-core';
import { verifyCaseBundle, type CaseBundleOutcome, type CaseBundleProblemKind } from './case-bundle-verifier';
import { buildTestCase, CASE_OPENED_SEQ, TEST_CASE_ID, withOneByteChanged } from './testing/case-fixture';
import { testSigner } from './testing/log-fixture';
import type { CaseBundle } from './wire-format';

const honest = buildTestCase();
const settings = { key: honest.key, origin: honest.origin };
const verify = (document: unknown) => verifyCaseBundle(JSON.parse(JSON.stringify(document)), settings);
const problemOf = (outcome: CaseBundleOutcome) => {
  if (outcome.ok) throw new Error('expected a problem');
  return outcome.problem;
};
const editEntry = (seq: number, change: (e: Record<string, unknown>) => Record<string, unknown>): CaseBundle => ({
  ...honest.bundle,
  entries: honest.bundle.entries.map((e) => (e.seq === seq ? (change({ ...e }) as never) : e)),
});

describe('case bundle verification', () => {
  it('given an honest case bundle, when verified with the pinned key, then every entry is proven and every citation resolves', () => {
    expect(verify(honest.bundle)).toEqual({
      ok: true,
      caseId: TEST_CASE_ID,
      entries: 5,
      checkpoint: { treeSize: 24, rootHash: honest.bundle.checkpoint.rootHash, note: honest.bundle.checkpoint.note },
      citations: 4,
      caseOpenedSeq: CASE_OPENED_SEQ,
      notCovered: [],
    });
  });

  it.each<[number, 'value' | 'recordedAt']>([
    [13, 'value'],
    [4, 'recordedAt'],
    [CASE_OPENED_SEQ, 'value'],
  ])('given one byte of entry %i (%s) changed in the file, when verified, then it fails naming that entry', (seq, field) => {
    const problem = problemOf(verifyCaseBundle(JSON.parse(withOneByteChanged(honest.bundle, seq, field)), settings));
    expect(['entry-tampered', 'entry-malformed']).toContain(problem.kind);
    expect(problem.seq).toBe(seq);
  });

  it('given a changed entry whose stored leaf hash was also recomputed, when verified, then its inclusion proof fails naming it', () => {
    const entry = honest.bundle.entries.find((e) => e.seq === 13)!;
    const value = Buffer.from(entry.value, 'base64');
    value[10] = value[10]! ^ 1;
    const leaf = entryLeafHash({ ...entry, value });
    const bundle = editEntry(13, (e) => ({ ...e, value: value.toString('base64'), leafHash: leaf.toString('hex') }));
    const problem = problemOf(verify(bundle));
    expect(problem).toMatchObject({ kind: 'inclusion-proof-invalid', seq: 13, checkpointSize: 24 });
  });

  it('given an entry carrying the proof of another leaf, when verified, then it fails naming it', () => {
    const other = honest.bundle.entries.find((e) => e.seq === 20)!;
    expect(problemOf(verify(editEntry(4, (e) => ({ ...e, inclusionProof: other.inclusionProof }))))).toMatchObject({ kind: 'inclusion-proof-invalid', seq: 4 });
  });

  it('given an entry renumbered, when verified, then its proof no longer fits and it is named', () => {
    expect(problemOf(verify(editEntry(4, (e) => ({ ...e, seq: 5 }))))).toMatchObject({ seq: 5 });
  });

  it('given a checkpoint signed by another key, when verified with the pinned key, then it fails on the signature', () => {
    const attacker = testSigner(honest.origin);
    const body = openNote(honest.bundle.checkpoint.note, [honest.key]).body;
    const note = signCheckpoint(parseCheckpoint(body), attacker.signer);
    expect(problemOf(verify({ ...honest.bundle, checkpoint: { ...honest.bundle.checkpoint, note } })).kind).toBe('checkpoint-bad-signature');
  });

  it('given the announced key swapped for an attacker\'s, when verified with the pinned key, then the announced key is ignored', () => {
    const attacker = testSigner(honest.origin);
    expect(verify({ ...honest.bundle, verifierKey: attacker.verifierKey }).ok).toBe(true);
  });

  it('given a checkpoint listed with another root than its note, when verified, then it is malformed', () => {
    expect(problemOf(verify({ ...honest.bundle, checkpoint: { ...honest.bundle.checkpoint, rootHash: '00'.repeat(32) } })).kind).toBe('checkpoint-malformed');
  });

  it('given a checkpoint for another origin, when verified, then it says so', () => {
    expect(problemOf(verifyCaseBundle(honest.bundle, { ...settings, origin: 'other.example/log' })).kind).toBe('checkpoint-origin-mismatch');
  });

  it.each<[string, (b: CaseBundle) => unknown, CaseBundleProblemKind]>([
    ['entries out of order', (b) => ({ ...b, entries: [b.entries[1], b.entries[0], ...b.entries.slice(2)] }), 'entry-out-of-order'],
    ['an entry listed twice', (b) => ({ ...b, entries: [...b.entries.slice(0, 2), b.entries[1], ...b.entries.slice(2)] }), 'entry-out-of-order'],
    ['a finding citing an entry not in the bundle', (b) => ({ ...b, findings: [{ ...b.findings[0]!, evidence: [4, 7] }] }), 'evidence-not-in-bundle'],
    ['a chain citing an entry not in the bundle', (b) => ({ ...b, accountability: [{ outputId: 'out-1', chain: { output: { evidence: [2] } } }] }), 'evidence-not-in-bundle'],
    ['the case claimed opened by someone else', (b) => ({ ...b, case: { ...b.case, openedBy: { organisationId: 'hsib', personId: 'psn_someoneelse01', role: 'investigator' } } }), 'case-claim-mismatch'],
    ['a mandate claimed as the basis of a case whose case.opened records none', (b) => ({ ...b, case: { ...b.case, basis: [{ organisationId: 'st-swithins', by: 'mandate', mandateIds: ['5e0d9c8b-7a6f-4e5d-8c4b-3a2f1e0d9c8b'] }] } }), 'case-claim-mismatch'],
    ['no case', (b) => ({ ...b, case: undefined }), 'bundle-malformed'],
    ['a non-canonical base64 value', (b) => ({ ...b, entries: [{ ...b.entries[0]!, value: `${b.entries[0]!.value}=` }, ...b.entries.slice(1)] }), 'entry-malformed'],
  ])('given %s, when verified, then it fails with %s', (_what, change, kind) => {
    expect(problemOf(verify(change(honest.bundle))).kind).toBe(kind);
  });

  it('given trusted event keys, when an entry carries no producer signature, then it fails naming it', () => {
    const problem = problemOf(verifyCaseBundle(JSON.parse(JSON.stringify(honest.bundle)), { ...settings, eventKeys: new Map() }));
    expect(problem).toMatchObject({ kind: 'event-signature-invalid', seq: 1, evidence: { code: 'EVENT.UNKNOWN_SOURCE' } });
  });

  it('given an entry beyond the checkpoint, when verified, then it is named', () => {
    const bigger = buildTestCase(24, [1, 4, CASE_OPENED_SEQ, 13, 23]);
    const bundle = { ...bigger.bundle, checkpoint: honest.bundle.checkpoint };
    const problem = problemOf(verifyCaseBundle(JSON.parse(JSON.stringify({ ...bundle, entries: [...honest.bundle.entries, { ...bigger.bundle.entries[4]!, seq: 24 }] })), settings));
    expect(problem).toMatchObject({ kind: 'entry-beyond-checkpoint', seq: 24 });
  });
});
