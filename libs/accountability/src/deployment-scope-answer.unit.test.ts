import type { DeploymentScope } from '@aal/contracts';
import { actors, makeEvent, outputChainEvents } from '@aal/testing';
import { answerAccountability } from './accountability-answer';
import { answerDeploymentScope } from './deployment-scope-answer';
import type { Fact } from './fact';
import { asFact } from './testing/as-fact';
import { BASE, ids, t } from './testing/chain-fixture';

// The chain's deployment, approved (v2, with a scope) at t(3); at t(30) a clinical safety officer
// narrows the scope to ward 7A, back-dated to take effect at t(20).
const narrowed: DeploymentScope = {
  sites: ['ward-7a'],
  services: ['Acute medicine'],
  roles: ['staff-nurse'],
  population: { ageBands: ['18-39', '40-64', '65-79', '80-plus'], excludedContraindicationCodes: [] },
  uses: ['advisory'],
};
const change = makeEvent(
  'deployment.scope-changed',
  {
    deploymentId: ids.deploymentId,
    employerId: 'st-swithins',
    scope: narrowed,
    reviewDate: '2027-05-01',
    reason: 'Ward 7A only until the first review.',
    effectiveAt: t(20),
    actor: actors.safetyOfficer,
  },
  { time: t(30) },
);
const events = [...outputChainEvents(ids, BASE), change];
const facts: Fact[] = events.map((e, i) => asFact(e, i, e.time));
const last = facts[facts.length - 1]!;
const latest = { seq: last.seq, recordedAt: last.recordedAt, source: 'latest' as const };
const answer = (asOf: string, knownAt: { seq: number; recordedAt: string; source: 'latest' | 'requested' } = latest) =>
  answerDeploymentScope(ids.deploymentId, facts, { asOf, knownAt });

describe('a deployment’s approved scope as of a moment', () => {
  it('is null when the ledger holds no deployment.requested for it', () => {
    expect(answerDeploymentScope('00000000-0000-4000-8000-000000000000', facts, { asOf: t(40), knownAt: latest })).toBeNull();
  });

  it('without asOf, answers as of the recorded time of the last entry known, and says so', () => {
    const a = answerDeploymentScope(ids.deploymentId, facts, { knownAt: latest })!;
    expect(a).toMatchObject({ asOf: last.recordedAt, asOfSource: 'known-at' });
    expect(a.scope).toMatchObject({ source: 'deployment.scope-changed' });
  });

  it('given an approval with a scope and no change in effect yet, then the approval’s scope is in force, with its entry', () => {
    const a = answer(t(10))!;
    const approvalSeq = facts.find((f) => f.name === 'deployment.approved')!.seq;
    expect(a).toMatchObject({
      deploymentId: ids.deploymentId,
      employerId: 'st-swithins',
      asOf: t(10),
      asOfSource: 'requested',
      knownAt: latest,
    });
    expect(a.scope).toMatchObject({ source: 'deployment.approved', evidence: [approvalSeq], scope: { sites: ['ward-7a', 'ward-7b'] } });
    expect(a.approval).toMatchObject({ evidence: [approvalSeq], conditions: ['Two-week shadow period'] });
    expect(a.stateAtAsOf.state).toBe('active');
    expect(a.scopeChanges).toMatchObject([{ evidence: [last.seq], effectiveAt: t(20), effectiveByAsOf: false }]);
  });

  it('given a later, back-dated scope change, then from its effective time it is the scope in force, marked back-dated when asked about before it was made', () => {
    const during = answer(t(25))!;
    expect(during.scope).toMatchObject({ source: 'deployment.scope-changed', scope: narrowed, evidence: [last.seq], backDated: true });
    expect(during.reviewDateInForce).toMatchObject({ reviewDate: '2027-05-01', source: 'deployment.scope-changed' });
    expect(during.scopeChanges[0]).toMatchObject({ effectiveByAsOf: true, reason: 'Ward 7A only until the first review.' });
    const after = answer(t(40))!;
    expect(after.scope).toMatchObject({ source: 'deployment.scope-changed', evidence: [last.seq] });
    expect(after.scope!.backDated).toBeUndefined();
  });

  it('given what the ledger knew before the change was recorded, then the approval’s scope is in force, and no change is listed', () => {
    const before = facts[facts.length - 2]!;
    const a = answer(t(40), { seq: before.seq, recordedAt: before.recordedAt, source: 'requested' })!;
    expect(a.scope).toMatchObject({ source: 'deployment.approved' });
    expect(a.scopeChanges).toEqual([]);
  });

  it('shows the deployment’s items exactly as an output’s chain shows them at the same moment', () => {
    const chain = answerAccountability(ids.outputId, facts, { asOf: t(25), knownAt: latest })!;
    const a = answer(t(25))!;
    const part = chain.approvedAndDeployed;
    expect({
      request: a.request,
      approval: a.approval,
      activation: a.activation,
      scope: a.scope,
      reviewDateInForce: a.reviewDateInForce,
    }).toEqual({
      request: part.request,
      approval: part.approval,
      activation: part.activation,
      scope: part.scope,
      reviewDateInForce: part.reviewDateInForce,
    });
    expect(a.stateAtAsOf).toEqual(part.stateAtOutputTime);
    expect(a.transitions).toEqual(part.transitions);
  });
});
