import type { CloudEvent } from '@aal/contracts';
import { actors, deploymentSuspended, makeEvent, outputChainEvents, safetyNoticeIssued, versionWithdrawn } from '@aal/testing';
import { buildAccountabilityChain } from './accountability-chain';
import { ChainPartMemo } from './chain-part-memo';
import type { Fact } from './fact';
import { asFact } from './testing/as-fact';
import { BASE, ids, t } from './testing/chain-fixture';

// The memo must be exact: every chain built with it, for any asOf and any set of facts, is the
// one built without it, key order included. The scenario makes each shared part change with asOf
// (a back-dated suspension, a withdrawal, a notice, a policy that ends, training that expires), so
// a key that left out where asOf falls, or which facts a part read, would hand one output's part
// to another and fail here.

const recorded = (time: string, lateMinutes = 0) => new Date(Date.parse(time) + 2_000 + lateMinutes * 60_000).toISOString();
const toFact = (event: CloudEvent<unknown>, seq: number, late = 0) => asFact(event, seq, recorded(event.time, late));

const suspension = deploymentSuspended(
  { deploymentId: ids.deploymentId },
  { effectiveAt: t(20), reason: 'Notice under review.', time: t(25) },
);
const withdrawal = versionWithdrawn(ids, { effectiveAt: t(30), reason: 'Under-triage found.', time: t(28) });
const notice = safetyNoticeIssued(ids, {
  noticeId: 'e1d2c3b4-a5f6-4e7d-8c9b-0a1b2c3d4e5f',
  severity: 'high',
  summary: 'Under-triage on beta blockers.',
  requiredAction: 'Review low scores.',
  affectedVersionIds: [ids.versionId],
  time: t(15),
});
const endingPolicy = makeEvent(
  'usage-policy.issued',
  {
    policyId: 'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70',
    deploymentId: ids.deploymentId,
    employerId: 'st-swithins',
    use: 'mandatory',
    roles: ['staff-nurse'],
    sites: ['ward-7a'],
    humanReviewRequired: false,
    minimumReviewSeconds: 0,
    effectiveFrom: t(12),
    effectiveUntil: t(35),
    actor: actors.employerAdmin,
  },
  { time: t(11) },
);

/** The factory's chain with its training expiring at t(38), then the events above (the suspension recorded 40 minutes late). */
function scenario(): Fact[] {
  const base = outputChainEvents(ids, BASE).map((e, seq) => {
    const f = toFact(e, seq);
    return f.name === 'training.recorded' ? ({ ...f, data: { ...f.data, expiresAt: t(38) } } as Fact) : f;
  });
  const n = base.length;
  return [...base, toFact(notice, n), toFact(endingPolicy, n + 1), toFact(suspension, n + 2, 40), toFact(withdrawal, n + 3)];
}

/** Every minute from t(0) to t(45), and a millisecond either side of each minute that a fact names. */
const moments = (): string[] => {
  const out: string[] = [];
  for (let m = 0; m <= 45; m += 1) {
    const at = BASE + m * 60_000;
    out.push(new Date(at - 1).toISOString(), new Date(at).toISOString(), new Date(at + 1).toISOString());
  }
  return out;
};

const chain = (facts: readonly Fact[], asOf: string, memo?: ChainPartMemo) =>
  JSON.stringify(buildAccountabilityChain(ids.outputId, facts, memo ? { asOf, memo } : { asOf }));

describe('ChainPartMemo', () => {
  it('given one memo for every asOf of a chain whose shared parts change with asOf, then each chain is the one built without it', () => {
    const facts = scenario();
    const memo = new ChainPartMemo();
    const parts = { built: new Set<string>(), approvedAndDeployed: new Set<string>(), instructed: new Set<string>() };
    for (const asOf of moments()) {
      const plain = chain(facts, asOf);
      expect(chain(facts, asOf, memo)).toBe(plain);
      const parsed = JSON.parse(plain) as Record<keyof typeof parts, unknown>;
      for (const k of Object.keys(parts) as Array<keyof typeof parts>) parts[k].add(JSON.stringify(parsed[k]));
    }
    // The scenario is one a coarse key would get wrong: each shared part takes several values.
    expect(parts.built.size).toBeGreaterThanOrEqual(4);
    expect(parts.approvedAndDeployed.size).toBeGreaterThanOrEqual(4);
    expect(parts.instructed.size).toBeGreaterThanOrEqual(3);
  });

  it('given the asOf moments in reverse order, then the chains are still those built without it', () => {
    const facts = scenario();
    const memo = new ChainPartMemo();
    for (const asOf of moments().reverse()) expect(chain(facts, asOf, memo)).toBe(chain(facts, asOf));
  });

  it('given one memo for two sets of facts that differ in one fact, then each chain is built from its own facts', () => {
    const facts = scenario();
    // The same suspension decided at another time: the same kind and seq, another fact.
    const edited = facts.map((f) => (f.name === 'deployment.suspended' ? ({ ...f, data: { ...f.data, effectiveAt: t(22) } } as Fact) : f));
    const memo = new ChainPartMemo();
    for (const asOf of [t(21), t(23), t(26)]) {
      expect(chain(facts, asOf, memo)).toBe(chain(facts, asOf));
      expect(chain(edited, asOf, memo)).toBe(chain(edited, asOf));
    }
    expect(chain(edited, t(21))).not.toBe(chain(facts, t(21)));
  });

  it('given two outputs of one deployment at one moment, seen by different professionals, then each has its own instructed part', () => {
    const second = 'out-sepsis-0002';
    const doctor = { personId: 'psn_doctor000001', role: 'registrar' };
    const generated = makeEvent(
      'output.generated',
      {
        outputId: second,
        organisationId: 'st-swithins',
        deploymentId: ids.deploymentId,
        modelId: ids.modelId,
        versionId: ids.versionId,
        subjectRef: 'psn_subject00043',
        outputDigest: `sha256:${'d'.repeat(64)}`,
        site: 'ward-7b',
        actor: actors.clinicalSystem,
      },
      { time: t(10) },
    );
    const presented = makeEvent(
      'output.presented',
      { outputId: second, organisationId: 'st-swithins', professional: doctor, site: 'ward-7b', actor: actors.clinicalSystem },
      { time: t(11) },
    );
    const base = scenario();
    const facts = [...base, toFact(generated, base.length), toFact(presented, base.length + 1)];
    const memo = new ChainPartMemo();
    const build = (outputId: string, m?: ChainPartMemo) =>
      JSON.stringify(buildAccountabilityChain(outputId, facts, m ? { asOf: t(13), memo: m } : { asOf: t(13) }));
    expect(build(ids.outputId, memo)).toBe(build(ids.outputId));
    expect(build(second, memo)).toBe(build(second));
    const instructed = (outputId: string) => JSON.stringify((JSON.parse(build(outputId)) as { instructed: unknown }).instructed);
    expect(instructed(second)).not.toBe(instructed(ids.outputId));
  });

  it('given an asOf that is not an instant, then the chain is the one built without it', () => {
    const facts = scenario();
    const memo = new ChainPartMemo();
    chain(facts, t(21), memo);
    expect(chain(facts, 'not a time', memo)).toBe(chain(facts, 'not a time'));
  });
});
