import { entryLeafHash, openNote, parseCheckpoint, signCheckpoint } from '@aal/ledger-core';
import { checkCitations, verifyCaseBundle, type CaseBundleOutcome, type CaseBundleProblemKind } from './case-bundle-verifier';
import { ACCOUNTABLE_OUTPUT_ID, buildAccountableCase } from './testing/accountable-case-fixture';
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
      origin: honest.origin,
      entries: 5,
      checkpoint: { treeSize: 24, rootHash: honest.bundle.checkpoint.rootHash, note: honest.bundle.checkpoint.note },
      citations: 2,
      caseOpenedSeq: CASE_OPENED_SEQ,
      notCovered: [],
      recomputedAnswers: 1,
      unproven: ['/exportedAt', '/findings/0', '/accountability/0/problem'],
      holds: [],
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
    expect(problemOf(verify(editEntry(4, (e) => ({ ...e, inclusionProof: other.inclusionProof }))))).toMatchObject({
      kind: 'inclusion-proof-invalid',
      seq: 4,
    });
  });

  it('given an entry renumbered, when verified, then its proof no longer fits and it is named', () => {
    expect(problemOf(verify(editEntry(4, (e) => ({ ...e, seq: 5 }))))).toMatchObject({ seq: 5 });
  });

  it('given a checkpoint signed by another key, when verified with the pinned key, then it fails on the signature', () => {
    const attacker = testSigner(honest.origin);
    const body = openNote(honest.bundle.checkpoint.note, [honest.key]).body;
    const note = signCheckpoint(parseCheckpoint(body), attacker.signer);
    expect(problemOf(verify({ ...honest.bundle, checkpoint: { ...honest.bundle.checkpoint, note } })).kind).toBe(
      'checkpoint-bad-signature',
    );
  });

  it("given the announced key swapped for an attacker's, when verified with the pinned key, then the announced key is ignored", () => {
    const attacker = testSigner(honest.origin);
    expect(verify({ ...honest.bundle, verifierKey: attacker.verifierKey }).ok).toBe(true);
  });

  it('given a checkpoint listed with another root than its note, when verified, then it is malformed', () => {
    expect(problemOf(verify({ ...honest.bundle, checkpoint: { ...honest.bundle.checkpoint, rootHash: '00'.repeat(32) } })).kind).toBe(
      'checkpoint-malformed',
    );
  });

  it('given a checkpoint for another origin, when verified, then it says so', () => {
    expect(problemOf(verifyCaseBundle(honest.bundle, { ...settings, origin: 'other.example/log' })).kind).toBe(
      'checkpoint-origin-mismatch',
    );
  });

  it.each<[string, (b: CaseBundle) => unknown, CaseBundleProblemKind]>([
    ['entries out of order', (b) => ({ ...b, entries: [b.entries[1], b.entries[0], ...b.entries.slice(2)] }), 'entry-out-of-order'],
    [
      'an entry listed twice',
      (b) => ({ ...b, entries: [...b.entries.slice(0, 2), b.entries[1], ...b.entries.slice(2)] }),
      'entry-out-of-order',
    ],
    [
      'a finding citing an entry not in the bundle',
      (b) => ({ ...b, findings: [{ ...b.findings[0]!, evidence: [4, 7] }] }),
      'evidence-not-in-bundle',
    ],
    [
      'a chain citing an entry not in the bundle',
      (b) => ({ ...b, accountability: [{ outputId: 'out-1', chain: { output: { evidence: [2] } } }] }),
      'evidence-not-in-bundle',
    ],
    [
      'the case claimed opened by someone else',
      (b) => ({ ...b, case: { ...b.case, openedBy: { organisationId: 'hsib', personId: 'psn_someoneelse01', role: 'investigator' } } }),
      'case-claim-mismatch',
    ],
    [
      'a mandate claimed as the basis of a case whose case.opened records none',
      (b) => ({
        ...b,
        case: {
          ...b.case,
          basis: [{ organisationId: 'st-swithins', by: 'mandate', mandateIds: ['5e0d9c8b-7a6f-4e5d-8c4b-3a2f1e0d9c8b'] }],
        },
      }),
      'case-claim-mismatch',
    ],
    ['no case', (b) => ({ ...b, case: undefined }), 'bundle-malformed'],
    [
      'a non-canonical base64 value',
      (b) => ({ ...b, entries: [{ ...b.entries[0]!, value: `${b.entries[0]!.value}=` }, ...b.entries.slice(1)] }),
      'entry-malformed',
    ],
  ])('given %s, when verified, then it fails with %s', (_what, change, kind) => {
    expect(problemOf(verify(change(honest.bundle))).kind).toBe(kind);
  });

  it('given a finding citing an entry not in the bundle, when verified, then the problem points at that citation', () => {
    const problem = problemOf(verify({ ...honest.bundle, findings: [{ ...honest.bundle.findings[0]!, evidence: [4, 7] }] }));
    expect(problem).toMatchObject({ kind: 'evidence-not-in-bundle', evidence: { pointer: '/findings/0/evidence/1', citedSeq: 7 } });
  });

  it('given nested evidence arrays, when the citations are checked, then each is counted in key and index order up to the first unverified one', () => {
    const claims = { a: { evidence: [1, 2], items: [{ evidence: [3] }, { note: 'x', evidence: [9, 1] }] }, b: { evidence: ['3'] } };
    const verified = new Set([1, 2, 3]);
    expect(checkCitations(claims, '/claims', (seq) => verified.has(seq))).toEqual({
      citations: 3,
      links: false,
      unverified: { pointer: '/claims/a/items/1/evidence/0', seq: 9 },
    });
    expect(checkCitations(claims.b, '/b', () => true)).toEqual({
      citations: 0,
      links: false,
      unverified: { pointer: '/b/evidence/0', seq: '3' },
    });
    expect(checkCitations(claims.a, '', () => true)).toEqual({ citations: 5, links: false, unverified: null });
    expect(checkCitations({ a: [{ inclusionProofs: null, evidence: [1] }] }, '', () => true)).toEqual({
      citations: 1,
      links: true,
      unverified: null,
    });
  });

  it('given trusted event keys, when an entry carries no producer signature, then it fails naming it', () => {
    const problem = problemOf(verifyCaseBundle(JSON.parse(JSON.stringify(honest.bundle)), { ...settings, eventKeys: new Map() }));
    expect(problem).toMatchObject({ kind: 'event-signature-invalid', seq: 1, evidence: { code: 'EVENT.UNKNOWN_SOURCE' } });
  });

  it('given an entry beyond the checkpoint, when verified, then it is named', () => {
    const bigger = buildTestCase(24, [1, 4, CASE_OPENED_SEQ, 13, 23]);
    const bundle = { ...bigger.bundle, checkpoint: honest.bundle.checkpoint };
    const problem = problemOf(
      verifyCaseBundle(
        JSON.parse(JSON.stringify({ ...bundle, entries: [...honest.bundle.entries, { ...bigger.bundle.entries[4]!, seq: 24 }] })),
        settings,
      ),
    );
    expect(problem).toMatchObject({ kind: 'entry-beyond-checkpoint', seq: 24 });
  });
});

describe('case bundle verification: the answers, recomputed from the proven entries', () => {
  const accountable = buildAccountableCase();
  const check = (bundle: CaseBundle) =>
    verifyCaseBundle(JSON.parse(JSON.stringify(bundle)), { key: accountable.key, origin: accountable.origin });
  const chainOf = (bundle: CaseBundle) => bundle.accountability[0]!['chain'] as Record<string, any>;
  const withChain = (change: (chain: Record<string, any>) => void): CaseBundle => {
    const bundle = JSON.parse(JSON.stringify(accountable.bundle)) as CaseBundle;
    change(chainOf(bundle));
    return bundle;
  };

  it('given an honest bundle of real events, when verified, then its answer is recomputed with the shared code and agrees', () => {
    const outcome = check(accountable.bundle);
    expect(outcome).toMatchObject({ ok: true, recomputedAnswers: 1 });
    expect(accountable.bundle.findings.length).toBeGreaterThan(0);
  });

  it('given an answer whose action was edited, when verified, then it fails naming the output, the pointer and both values', () => {
    const problem = problemOf(check(withChain((c) => (c['actedOn']['actions'][0]['action'] = 'accepted'))));
    expect(problem).toMatchObject({
      kind: 'answer-differs',
      evidence: {
        outputId: ACCOUNTABLE_OUTPUT_ID,
        pointer: '/accountability/0/chain/actedOn/actions/0/action',
        stated: 'accepted',
        recomputed: 'overridden',
      },
    });
  });

  it('given an answer with a finding dropped, when verified, then it fails on the findings', () => {
    const problem = problemOf(check(withChain((c) => c['findings'].pop())));
    expect(problem.kind).toBe('answer-differs');
    expect(problem.evidence).toMatchObject({ pointer: expect.stringMatching(/^\/accountability\/0\/chain\/findings\/\d+$/) });
  });

  it('given a case finding changed but the chain left alone, when verified, then the bundle-level findings are compared too', () => {
    const bundle = JSON.parse(JSON.stringify(accountable.bundle)) as CaseBundle;
    const findings = [...bundle.findings];
    findings[0] = { ...findings[0]!, code: 'ACTION.ACCEPTED_UNCHANGED' };
    expect(problemOf(check({ ...bundle, findings }))).toMatchObject({ kind: 'answer-differs', evidence: { pointer: '/findings/0/code' } });
  });

  it("given a case finding's detail (the finding's statement, which the report prints) edited, when verified, then it fails at that detail", () => {
    const bundle = JSON.parse(JSON.stringify(accountable.bundle)) as CaseBundle;
    const findings = [...bundle.findings];
    findings[0] = { ...findings[0]!, detail: 'The professional accepted the output.' };
    expect(problemOf(check({ ...bundle, findings }))).toMatchObject({
      kind: 'answer-differs',
      evidence: { pointer: '/findings/0/detail', stated: 'The professional accepted the output.' },
    });
  });

  it('given a basis that leaves out an entry the answer follows from, or names one it does not, when verified, then it fails at the basis', () => {
    expect(problemOf(check(withChain((c) => c['basis']['seqs'].pop()))).evidence).toMatchObject({
      pointer: expect.stringMatching(/^\/accountability\/0\/chain\/basis\/seqs\/\d+$/),
    });
    expect(problemOf(check(withChain((c) => (c['basis']['seqs'] = [...c['basis']['seqs'], 99])))).kind).toBe('answer-differs');
  });

  it("given the answer's clocks removed, when verified, then it is not skipped but fails", () => {
    expect(problemOf(check(withChain((c) => delete c['knownAt']))).kind).toBe('answer-differs');
  });

  it('given an answer saying the output is not in the ledger while a proven entry generated it, when verified, then it fails', () => {
    const bundle = JSON.parse(JSON.stringify(accountable.bundle)) as CaseBundle;
    expect(problemOf(check({ ...bundle, accountability: [{ outputId: ACCOUNTABLE_OUTPUT_ID, chain: null }], findings: [] })).kind).toBe(
      'answer-differs',
    );
  });
});
