import { concernRaised, concernResponse, makeEvent, outputChainEvents } from '@aal/testing';
import { answerAccountability } from './accountability-answer';
import { answerConcern } from './concern-answer';
import type { Fact } from './fact';
import { asFact } from './testing/as-fact';
import { ids, t } from './testing/chain-fixture';

// A concern taken in at t(0), due for acknowledgement at t(60) and an answer at t(600).
const raised = concernRaised(ids, { time: t(0), acknowledgeBy: t(60), answerBy: t(600) });
const concernId = (raised.data as { concernId: string }).concernId;
const facts = (...events: ReturnType<typeof makeEvent>[]): Fact[] => events.map((e, i) => asFact(e, i, e.time));
const answer = (all: Fact[], asOf?: string) => {
  const last = all[all.length - 1]!;
  return answerConcern(concernId, all, {
    knownAt: { seq: last.seq, recordedAt: last.recordedAt, source: 'latest' },
    ...(asOf ? { asOf } : {}),
  });
};
const codes = (a: ReturnType<typeof answer>) =>
  a!.findings.map((f) => `${f.code} ${String((f.details['addressee'] as { party?: string } | undefined)?.party ?? '')}`.trim());

describe('a concern’s answer and its findings', () => {
  it('is null when the ledger holds no concern.raised for it', () => {
    expect(
      answerConcern('00000000-0000-4000-8000-000000000000', facts(raised), { knownAt: { seq: 0, recordedAt: t(0), source: 'latest' } }),
    ).toBeNull();
  });

  it('finds nothing before the due dates, and states the clocks it used', () => {
    const a = answer(facts(raised), t(59));
    expect(a).toMatchObject({ status: 'raised', asOf: t(59), asOfSource: 'requested', findings: [] });
    expect(a!.concern).toMatchObject({ concernId, evidence: [0], happenedAt: t(0), takenInBy: { role: 'concern-intake' } });
  });

  it('finds each addressee that had not acknowledged by the due date, once asOf is past it', () => {
    const a = answer(facts(raised, concernResponse(raised, { time: t(30) })), t(61));
    expect(codes(a)).toEqual(['CONCERN.NOT_ACKNOWLEDGED_BY_DUE_DATE employer']);
    expect(a!.findings[0]).toMatchObject({ evidence: [0], details: { dueAt: t(60), acknowledgedAt: null } });
    expect(a!.findings[0]!.statement).toContain(`by ${t(61)} the ledger holds none`);
  });

  it('names a late acknowledgement and a late answer with their times, citing them', () => {
    const ack = concernResponse(raised, { time: t(90), party: 'employer' });
    const vendorAck = concernResponse(raised, { time: t(10) });
    const late = concernResponse(raised, { time: t(700), party: 'employer', answer: 'mitigation-in-place' });
    const onTime = concernResponse(raised, { time: t(500), answer: 'investigated-no-change' });
    const a = answer(facts(raised, vendorAck, ack, onTime, late), t(800));
    expect(a!.status).toBe('answered');
    expect(a!.findings.map((f) => [f.code, f.evidence, f.details['acknowledgedAt'] ?? f.details['answeredAt']])).toEqual([
      ['CONCERN.NOT_ACKNOWLEDGED_BY_DUE_DATE', [0, 2], t(90)],
      ['CONCERN.NOT_ANSWERED_BY_DUE_DATE', [0, 4], t(700)],
    ]);
    expect(a!.findings[1]!.statement).toContain('(mitigation-in-place)');
  });

  it('finds nothing when every addressee acknowledged and answered in time', () => {
    const all = facts(
      raised,
      concernResponse(raised, { time: t(10) }),
      concernResponse(raised, { time: t(20), party: 'employer' }),
      concernResponse(raised, { time: t(100), answer: 'version-or-configuration-changed' }),
      concernResponse(raised, { time: t(200), party: 'employer', answer: 'deployment-suspended' }),
    );
    expect(answer(all, t(10_000))).toMatchObject({ status: 'answered', findings: [] });
  });

  it('counts only responses made by asOf, and only what the ledger knew at knownAt', () => {
    const all = facts(raised, concernResponse(raised, { time: t(10) }), concernResponse(raised, { time: t(20), party: 'employer' }));
    expect(answer(all, t(15))).toMatchObject({ status: 'raised', acknowledgements: [expect.objectContaining({ evidence: [1] })] });
    const knownEarly = answerConcern(concernId, all, { knownAt: { seq: 1, recordedAt: t(10), source: 'requested' }, asOf: t(61) });
    expect(knownEarly!.findings.map((f) => f.code)).toEqual(['CONCERN.NOT_ACKNOWLEDGED_BY_DUE_DATE']);
  });

  it('finds concerns of one category about one version taken in by two organisations, and not by one', () => {
    const same = concernRaised(ids, { time: t(5), acknowledgeBy: t(60), answerBy: t(600) });
    const otherCategory = concernRaised(ids, {
      time: t(6),
      acknowledgeBy: t(60),
      answerBy: t(600),
      intakeOrganisationId: 'other-hospital',
      category: 'usability',
    });
    const otherOrganisation = concernRaised(ids, {
      time: t(7),
      acknowledgeBy: t(60),
      answerBy: t(600),
      intakeOrganisationId: 'other-hospital',
    });
    expect(answer(facts(raised, same, otherCategory), t(30))!.findings).toEqual([]);
    const found = answer(facts(raised, same, otherCategory, otherOrganisation), t(30))!.findings;
    expect(found.map((f) => f.code)).toEqual(['CONCERN.REPEATED_ACROSS_ORGANISATIONS']);
    expect(found[0]).toMatchObject({
      evidence: [0, 1, 3],
      details: { organisations: ['other-hospital', 'st-swithins'], versionId: ids.versionId },
    });
    expect(answer(facts(raised, same, otherCategory, otherOrganisation), t(6))!.findings).toEqual([]);
  });
});

describe('a serious concern open when an output was produced', () => {
  // The factory's chain: the output is generated at t(10) (outputChainEvents); concerns come before it.
  const chain = outputChainEvents(ids);
  const outputAnswer = (...extra: ReturnType<typeof makeEvent>[]) => {
    const all = [...chain, ...extra].map((e, i) => asFact(e, i, e.time));
    const last = all[all.length - 1]!;
    return answerAccountability(ids.outputId, all, { knownAt: { seq: last.seq, recordedAt: last.recordedAt, source: 'latest' } })!;
  };
  const open = (a: ReturnType<typeof outputAnswer>) => a.findings.filter((f) => f.code === 'CONCERN.OPEN_AT_OUTPUT_TIME');
  const due = { acknowledgeBy: t(600), answerBy: t(6000) };

  it('finds a high concern about the deployment taken in before the output and not answered by then', () => {
    const concern = concernRaised(ids, { time: t(5), ...due });
    const found = open(outputAnswer(concern));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ evidence: [7, chain.length], details: { severity: 'high', raisedAt: t(5) } });
    expect(outputAnswer(concern).findings.at(-1)!.code).toBe('CONCERN.OPEN_AT_OUTPUT_TIME');
  });

  it('does not find a concern answered by every addressee before the output, one raised after it, or one below high', () => {
    const answeredConcern = concernRaised(ids, { time: t(5), ...due });
    expect(
      open(
        outputAnswer(
          answeredConcern,
          concernResponse(answeredConcern, { time: t(6), answer: 'mitigation-in-place' }),
          concernResponse(answeredConcern, { time: t(7), party: 'employer', answer: 'mitigation-in-place' }),
        ),
      ),
    ).toEqual([]);
    const halfAnswered = concernRaised(ids, { time: t(5), ...due });
    expect(open(outputAnswer(halfAnswered, concernResponse(halfAnswered, { time: t(6), answer: 'mitigation-in-place' })))).toHaveLength(1);
    expect(open(outputAnswer(concernRaised(ids, { time: t(11), ...due })))).toEqual([]);
    expect(open(outputAnswer(concernRaised(ids, { time: t(5), severity: 'moderate', ...due })))).toEqual([]);
  });

  it('does not find a concern about another deployment of the same version', () => {
    expect(open(outputAnswer(concernRaised(ids, { time: t(5), intakeOrganisationId: 'other-hospital', ...due })))).toEqual([]);
  });
});
