import { answerAccountability } from '@aal/accountability';
import { makeEvent, outputChainEvents } from '@aal/testing';
import { caseBundleReport } from '../case-bundle-verifier';
import { CASE_BUNDLE_FORMAT, type CaseBundle } from '../wire-format';
import { caseBundleEntries, logEvents, testSigner } from './log-fixture';

// A case bundle whose entries are real catalogue events (one output's whole chain) and whose
// answer is the one an honest ledger computes from them with @aal/accountability. For tests.

export const ACCOUNTABLE_OUTPUT_ID = 'out-sepsis-0001';
const ids = {
  modelId: '0f5d2d51-2c43-4a8e-bb2f-6b1e9e7c3d20',
  versionId: '9a1c2e37-7d4b-4f1a-8c55-0e2b3f4a5b61',
  deploymentId: '4b0e7c1e-5f0a-4a39-9a8e-2d8d1f0c6a11',
  outputId: ACCOUNTABLE_OUTPUT_ID,
  policyId: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f',
  trainingId: '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a',
};

export const ACCOUNTABLE_CASE_ID = '7e2d3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a';
const investigator = { organisationId: 'hsib', personId: 'psn_investigator01', role: 'investigator' };

/** The case's own events, recorded after the output's: opened by an investigator, access granted to a second. */
function caseEvents() {
  const opened = {
    caseId: ACCOUNTABLE_CASE_ID,
    organisationId: 'hsib',
    title: 'Overridden alert',
    outputIds: [ACCOUNTABLE_OUTPUT_ID],
    openedAgainst: { treeSize: 10, rootHash: 'ab'.repeat(32) },
    basis: [{ organisationId: 'st-swithins', by: 'own-organisation' }],
    actor: investigator,
  };
  return [
    makeEvent('case.opened', opened, { time: '2026-11-02T09:40:00.000Z', id: '1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081' }),
    makeEvent(
      'case.access-granted',
      {
        caseId: ACCOUNTABLE_CASE_ID,
        organisationId: 'hsib',
        grantee: { organisationId: 'hsib', personId: 'psn_investigator02' },
        actor: investigator,
      },
      { time: '2026-11-02T09:41:00.000Z', id: '2c3d4e5f-6071-4829-8b3c-4d5e6f708192' },
    ),
  ];
}

export function buildAccountableCase(origin = 'test.local/aal-ledger') {
  const { signer, verifierKey, key } = testSigner(origin);
  const chainEvents = outputChainEvents(ids, Date.parse('2026-11-02T09:00:00Z'));
  const events = [...chainEvents, ...caseEvents()];
  const { entries, checkpoint, facts, nodes } = logEvents(events, 'aal.test.events.v1', origin, signer);
  const size = entries.length;
  const last = entries[size - 1]!;
  // The answer follows from the output's chain; the case's own events are not part of it.
  const chainFacts = facts.slice(0, chainEvents.length);
  const answer = answerAccountability(ACCOUNTABLE_OUTPUT_ID, chainFacts, {
    knownAt: { seq: last.seq, recordedAt: last.recordedAt, source: 'latest' },
  })!;
  const stated = JSON.parse(
    JSON.stringify({
      ...answer,
      basis: { checkpoint: { treeSize: size, rootHash: checkpoint.rootHash }, seqs: chainFacts.map((f) => f.seq) },
    }),
  ) as Record<string, unknown>;
  const withoutReport: Omit<CaseBundle, 'report'> = {
    format: CASE_BUNDLE_FORMAT,
    origin,
    verifierKey,
    eventSigningKeys: [],
    exportedAt: '2026-11-02T10:00:00.000Z',
    checkpoint,
    entries: caseBundleEntries({ entries, nodes }),
    notCovered: [],
    case: {
      caseId: ACCOUNTABLE_CASE_ID,
      title: 'Overridden alert',
      status: 'open',
      organisationId: 'hsib',
      outputIds: [ACCOUNTABLE_OUTPUT_ID],
      openedBy: investigator,
      openedAt: '2026-11-02T09:40:00.000Z',
      openedAgainst: { treeSize: 10, rootHash: 'ab'.repeat(32) },
      basis: [{ organisationId: 'st-swithins', by: 'own-organisation' }],
      investigators: [
        { organisationId: 'hsib', personId: 'psn_investigator01' },
        { organisationId: 'hsib', personId: 'psn_investigator02' },
      ],
      relatedOutputs: [ACCOUNTABLE_OUTPUT_ID],
    },
    accountability: [{ outputId: ACCOUNTABLE_OUTPUT_ID, chain: stated }],
    shared: [],
    findings: answer.findings.map((f) => ({
      outputId: ACCOUNTABLE_OUTPUT_ID,
      code: f.code,
      title: f.title,
      detail: f.statement,
      evidence: f.evidence,
    })),
  };
  // The report an honest ledger renders for it (case-evidence.query.ts does the same).
  const bundle: CaseBundle = {
    ...withoutReport,
    report: { mediaType: 'text/html', html: caseBundleReport(withoutReport, { key, origin }) },
  };
  return { origin, key, bundle };
}
