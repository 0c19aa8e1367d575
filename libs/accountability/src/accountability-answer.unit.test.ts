import { actors, makeEvent, outputChainEvents } from '@aal/testing';
import { answerAccountability } from './accountability-answer';
import type { Fact } from './fact';
import { asFact } from './testing/as-fact';
import { ids, BASE, t } from './testing/chain-fixture';

/** The factory chain (seq 0–9, each recorded 2 s after it happened), then a suspension effective at t(8) that reached the ledger only at t(40). */
const lateSuspension = makeEvent(
  'deployment.suspended',
  {
    deploymentId: ids.deploymentId,
    employerId: 'st-swithins',
    effectiveAt: t(8),
    reason: 'Alarm fatigue reported.',
    actor: actors.safetyOfficer,
  },
  { time: t(8) },
);
const facts: Fact[] = [...outputChainEvents(ids, BASE), lateSuspension].map((e, seq) =>
  asFact(e, seq, seq === 10 ? t(40) : new Date(Date.parse(e.time) + 2000).toISOString()),
);
const latest = { seq: 10, recordedAt: t(40), source: 'latest' as const };

describe('answerAccountability: the two clocks', () => {
  it('given a suspension recorded late, when answered with everything known, then the deployment was suspended and the suspension is marked late', () => {
    const answer = answerAccountability(ids.outputId, facts, { knownAt: latest })!;
    expect(answer).toMatchObject({ asOf: t(10), asOfSource: 'output-generated', knownAt: latest });
    expect(answer.approvedAndDeployed.stateAtOutputTime).toEqual({ state: 'suspended', evidence: [2, 3, 4, 10] });
    expect(answer.approvedAndDeployed.transitions.at(-1)).toMatchObject({
      event: 'deployment.suspended',
      recordedLateBySeconds: 1920,
      evidence: [10],
    });
    expect(answer.findings.map((f) => f.code)).toEqual(['DEPLOYMENT.NOT_ACTIVE_AT_TIME', 'ACTION.OVERRIDDEN', 'RECORDING.LATE']);
  });

  it('given the same facts, when answered as the ledger knew them before the late entry, then the deployment was active and nothing is late', () => {
    const answer = answerAccountability(ids.outputId, facts, {
      knownAt: { seq: 9, recordedAt: new Date(Date.parse(t(13)) + 2000).toISOString(), source: 'requested' },
    })!;
    expect(answer.approvedAndDeployed.stateAtOutputTime.state).toBe('active');
    expect(answer.findings.map((f) => f.code)).toEqual(['ACTION.OVERRIDDEN']);
  });

  it('given a knownAt before the output was recorded, when answered, then there is no answer', () => {
    expect(answerAccountability(ids.outputId, facts, { knownAt: { seq: 6, recordedAt: t(5), source: 'requested' } })).toBeNull();
  });

  it('given an asOf before the suspension took effect, when answered, then the deployment was active then', () => {
    const answer = answerAccountability(ids.outputId, facts, { asOf: t(7), knownAt: latest })!;
    expect(answer).toMatchObject({ asOf: t(7), asOfSource: 'requested' });
    expect(answer.approvedAndDeployed.stateAtOutputTime.state).toBe('active');
  });
});
