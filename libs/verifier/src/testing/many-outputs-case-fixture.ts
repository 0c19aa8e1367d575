import { answerAccountability, answerBasis, FactIndex, factsForAnswer, shareAnswerValues } from '@aal/accountability';
import type { CloudEvent } from '@aal/contracts';
import { actors, makeEvent, outputChainEvents } from '@aal/testing';
import { caseBundleReport } from '../case-bundle-verifier';
import { CASE_BUNDLE_FORMAT, type CaseBundle } from '../wire-format';
import { caseBundleEntries, logEvents, testSigner } from './log-fixture';

// A case of many outputs under one model, version, deployment and policy (each generated,
// presented and acted on: ~3 entries per output), exported with an answer per output as the ledger
// does, so the answers share most of their chain. For the bench (bench/case-recompute.ts) and tests.

export const manyOutputsId = (i: number) => `out-bench-${String(i).padStart(6, '0')}`;

const ids = {
  modelId: '5c1f0e6a-3b2d-4c8e-9f7a-1d2e3f4a5b6c',
  versionId: '6d2a1f7b-4c3e-4d9f-8a1b-2e3f4a5b6c7d',
  deploymentId: '7e3b2a8c-5d4f-4ea0-9b2c-3f4a5b6c7d8e',
  outputId: manyOutputsId(0),
  policyId: '8f4c3b9d-6e5a-4fb1-8c3d-4a5b6c7d8e9f',
  trainingId: '9a5d4cae-7f6b-4ac2-9d4e-5b6c7d8e9fa0',
};

/** The case's events: the shared chain once, then each output generated, presented and acted on. */
export function manyOutputsEvents(outputs: number): CloudEvent<unknown>[] {
  const chain = outputChainEvents(ids);
  const shared = chain.slice(0, 7);
  const [generated, presented, acted] = chain.slice(7) as [
    CloudEvent<Record<string, unknown>>,
    CloudEvent<Record<string, unknown>>,
    CloudEvent<Record<string, unknown>>,
  ];
  const out: CloudEvent<unknown>[] = [...shared];
  for (let i = 0; i < outputs; i += 1) {
    const outputId = manyOutputsId(i);
    const minutes = (m: number) => new Date(Date.parse(generated.time) + i * 1000 + m * 60_000).toISOString();
    out.push(
      makeEvent(
        'output.generated',
        { ...generated.data, outputId, outputDigest: `sha256:${i.toString(16).padStart(64, '0')}` },
        { time: minutes(0) },
      ),
    );
    out.push(makeEvent('output.presented', { ...presented.data, outputId }, { time: minutes(1) }));
    out.push(
      makeEvent(
        'output.acted-on',
        {
          ...acted.data,
          outputId,
          action: i % 3 === 0 ? 'accepted' : 'overridden',
          reviewDurationSeconds: 20 + (i % 90),
          actor: actors.clinicalSystem,
        },
        { time: minutes(3) },
      ),
    );
  }
  return out;
}

export interface ManyOutputsCase {
  /** With an answer per output, in the current format (shared values written once) and with its report. */
  readonly bundle: CaseBundle;
  /** The same entries, checkpoint and case with no answers (and the report for that). */
  readonly entriesOnly: CaseBundle;
  readonly verifierKey: string;
  readonly key: ReturnType<typeof testSigner>['key'];
  readonly origin: string;
}

/** The case of `outputs` outputs; `format: 'aal-case-export/v1'` writes every answer whole, as v1 exports do. */
export function manyOutputsCase(
  outputs: number,
  options: { readonly origin?: string; readonly format?: 'aal-case-export/v1' | typeof CASE_BUNDLE_FORMAT } = {},
): ManyOutputsCase {
  const origin = options.origin ?? 'bench.local/aal-ledger';
  const { signer, verifierKey, key } = testSigner(origin);
  const { entries, checkpoint, facts, nodes } = logEvents(manyOutputsEvents(outputs), 'aal.bench.events.v1', origin, signer);
  const size = entries.length;
  const index = new FactIndex(facts);
  const last = entries[size - 1]!;
  const knownAt = { seq: last.seq, recordedAt: last.recordedAt, source: 'latest' as const };
  const answers: Array<{ outputId: string; chain: Record<string, unknown> }> = [];
  const findings: CaseBundle['findings'][number][] = [];
  for (let i = 0; i < outputs; i += 1) {
    const outputId = manyOutputsId(i);
    const inputs = factsForAnswer(outputId, index, knownAt.seq)!;
    const answer = answerAccountability(outputId, inputs, { knownAt })!;
    const basis = answerBasis(
      inputs.map((f) => f.seq),
      knownAt,
      { treeSize: size, rootHash: checkpoint.rootHash },
    );
    answers.push({ outputId, chain: JSON.parse(JSON.stringify({ ...answer, basis })) as Record<string, unknown> });
    for (const f of answer.findings) findings.push({ outputId, code: f.code, title: f.title, detail: f.statement, evidence: f.evidence });
  }
  const v1 = options.format === 'aal-case-export/v1';
  const bare: Omit<CaseBundle, 'report'> = {
    format: (options.format ?? CASE_BUNDLE_FORMAT) as typeof CASE_BUNDLE_FORMAT,
    origin,
    verifierKey,
    eventSigningKeys: [],
    exportedAt: new Date(0).toISOString(),
    checkpoint,
    entries: caseBundleEntries({ entries, nodes }),
    notCovered: [],
    case: { caseId: '0b6e5dbf-8a7c-4bd3-8e5f-6c7d8e9fa0b1', title: 'Bench case', organisationId: 'hsib' },
    accountability: [],
    shared: [],
    findings: [],
  };
  // Each with the report an honest ledger renders for it, which ledger-verify renders again.
  const withReport = (b: Omit<CaseBundle, 'report'>): CaseBundle => ({
    ...b,
    report: { mediaType: 'text/html', html: caseBundleReport(JSON.parse(JSON.stringify(b)), { key, origin }) },
  });
  const stated = v1 ? { accountability: answers } : shareAnswerValues(answers);
  const { shared: _none, ...v1Bare } = bare;
  const base = (v1 ? v1Bare : bare) as Omit<CaseBundle, 'report'>;
  return { bundle: withReport({ ...base, ...stated, findings }), entriesOnly: withReport(base), verifierKey, key, origin };
}
