import { answerAccountability, decodeFact, type Fact } from '@aal/accountability';
import { toBinaryMessage } from '@aal/contracts';
import { buildInclusionProof, GENESIS_CHAIN_HASH, MerkleAccumulator, nodeKey } from '@aal/ledger-core';
import { outputChainEvents } from '@aal/testing';
import { CASE_BUNDLE_FORMAT, type CaseBundle } from '../wire-format';
import { sealEntry, signedCheckpoint, testSigner } from './log-fixture';

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

export function buildAccountableCase(origin = 'test.local/aal-ledger') {
  const { signer, verifierKey, key } = testSigner(origin);
  const events = outputChainEvents(ids, Date.parse('2026-11-02T09:00:00Z'));
  const tree = new MerkleAccumulator();
  const nodes = new Map<string, Buffer>();
  let chain = GENESIS_CHAIN_HASH;
  const sealed = events.map((event, seq) => {
    const message = toBinaryMessage(event);
    const content = { seq, recordedAt: new Date(Date.parse(event.time) + 2000).toISOString(), topic: 'aal.test.events.v1', partition: 0, offset: String(seq), headers: message.headers, value: Buffer.from(message.value).toString('base64') };
    const s = sealEntry(content, chain);
    chain = s.chain;
    nodes.set(nodeKey({ level: 0, index: seq }), s.leaf);
    for (const node of tree.append(s.leaf)) nodes.set(nodeKey(node.id), node.hash);
    return s.entry;
  });
  const size = sealed.length;
  const checkpoint = signedCheckpoint(1, origin, size, tree.root(), signer);
  const facts = sealed.map((e) => decodeFact({ seq: e.seq, recordedAt: e.recordedAt, headers: e.headers, value: Buffer.from(e.value, 'base64') })).filter((f): f is Fact => f !== undefined);
  const last = sealed[size - 1]!;
  const answer = answerAccountability(ACCOUNTABLE_OUTPUT_ID, facts, { knownAt: { seq: last.seq, recordedAt: last.recordedAt, source: 'latest' } })!;
  const stated = JSON.parse(JSON.stringify({ ...answer, basis: { checkpoint: { treeSize: size, rootHash: checkpoint.rootHash }, seqs: facts.map((f) => f.seq) } })) as Record<string, unknown>;
  const bundle: CaseBundle = {
    format: CASE_BUNDLE_FORMAT,
    origin,
    verifierKey,
    eventSigningKeys: [],
    exportedAt: '2026-11-02T10:00:00.000Z',
    checkpoint,
    entries: sealed.map(({ chainHash: _chain, ...e }) => ({ ...e, inclusionProof: buildInclusionProof(e.seq, size, nodes).map((h) => h.toString('hex')) })),
    notCovered: [],
    case: { caseId: '7e2d3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a', title: 'Overridden alert', organisationId: 'hsib', outputIds: [ACCOUNTABLE_OUTPUT_ID] },
    accountability: [{ outputId: ACCOUNTABLE_OUTPUT_ID, chain: stated }],
    findings: answer.findings.map((f) => ({ outputId: ACCOUNTABLE_OUTPUT_ID, code: f.code, title: f.title, detail: '', evidence: f.evidence })),
    report: { mediaType: 'text/html', html: '<!DOCTYPE html><p>report</p>' },
  };
  return { origin, key, bundle };
}
