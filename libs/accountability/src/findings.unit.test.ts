import { findEventDefinition, type CloudEvent } from '@aal/contracts';
import { actors, deploymentSuspended, makeEvent, outputChainEvents, safetyNoticeIssued, versionWithdrawn } from '@aal/testing';
import { buildAccountabilityChain } from './accountability-chain';
import type { Fact } from './fact';
import { asFact } from './testing/as-fact';
import { deriveFindings, FINDING_CODES, FINDINGS, type Finding, type FindingCode } from './findings';
import { ids, BASE, t } from './testing/chain-fixture';

// ---- test data: the factory's chain (output at t(10) on ward-7a, overridden after 95 s) ------------

const nurse = { personId: 'psn_nurse0000001', role: 'staff-nurse' };
const SEQ = { released: 1, requested: 2, approved: 3, activated: 4, policy: 5, training: 6, generated: 7, presented: 8, actedOn: 9 };
const noticeId = 'e1d2c3b4-a5f6-4e7d-8c9b-0a1b2c3d4e5f';

/** Each event as a fact at its position; recorded `delay` seconds after it happened (2 s unless set). */
function facts(events: CloudEvent<unknown>[], delays: Record<number, number> = {}): Fact[] {
  return events.map((e, seq) => asFact(e, seq, new Date(Date.parse(e.time) + (delays[seq] ?? 2) * 1000).toISOString()));
}

const chainEvents = () => outputChainEvents(ids, BASE);

/** The chain's events with the one of catalogue name `name` given other data. */
function replacing(name: string, data: Record<string, unknown>, events = chainEvents()): CloudEvent<unknown>[] {
  return events.map((e) =>
    findEventDefinition(e.type)?.name === name ? makeEvent(name, { ...(e.data as object), ...data }, { time: e.time }) : e,
  );
}

const extra = {
  suspended: (effectiveAt: string, time = effectiveAt) =>
    deploymentSuspended(ids, { effectiveAt, reason: 'Safety notice under review.', time }),
  withdrawn: (effectiveAt: string) => versionWithdrawn(ids, { effectiveAt, reason: 'Under-triage found.', time: effectiveAt }),
  notice: (time: string) =>
    safetyNoticeIssued(ids, {
      noticeId,
      severity: 'high',
      summary: 'Under-triage on beta blockers.',
      requiredAction: 'Review low scores.',
      time,
    }),
  resolved: (time: string) =>
    makeEvent(
      'model.safety-notice.resolved',
      { noticeId, modelId: ids.modelId, vendorId: 'acme-ai', resolution: 'Fixed in 2.1.1.', actor: actors.vendorAdmin },
      { time },
    ),
  policy: (o: Record<string, unknown>, time = t(6)) =>
    makeEvent(
      'usage-policy.issued',
      {
        policyId: 'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70',
        deploymentId: ids.deploymentId,
        employerId: 'st-swithins',
        use: 'mandatory',
        roles: ['staff-nurse'],
        sites: ['ward-7a'],
        humanReviewRequired: true,
        minimumReviewSeconds: 30,
        effectiveFrom: time,
        actor: actors.employerAdmin,
        ...o,
      },
      { time },
    ),
  instruction: (kind: string) =>
    makeEvent(
      'instruction.given',
      {
        instructionId: 'f0e1d2c3-b4a5-4968-8778-695a4b3c2d1e',
        organisationId: 'st-swithins',
        instructor: { personId: 'psn_wardsister01', role: 'ward-sister' },
        professionalId: nurse.personId,
        kind,
        outputId: ids.outputId,
        actor: actors.clinicalSystem,
      },
      { time: t(12) },
    ),
};

function findingsOf(all: Fact[], asOf?: string): Finding[] {
  const chain = buildAccountabilityChain(ids.outputId, all, asOf ? { asOf } : {});
  if (!chain) throw new Error('expected a chain');
  return deriveFindings(chain);
}
const codes = (all: Fact[]) => findingsOf(all).map((f) => f.code);
const only = (all: Fact[], code: FindingCode) => findingsOf(all).filter((f) => f.code === code);

// ---- the findings ----------------------------------------------------------------------------------

describe('deriveFindings', () => {
  it('given the factory chain (trained nurse, advisory policy, 95 s review, overridden), when derived, then the only finding is the override', () => {
    expect(findingsOf(facts(chainEvents()))).toEqual([
      {
        code: 'ACTION.OVERRIDDEN',
        title: 'Output overridden',
        statement: `${nurse.personId} (staff-nurse) overrode the output at ${t(13)} after a 95 s review, recording the rationale "Recent surgery explains tachycardia.".`,
        evidence: [SEQ.actedOn],
        details: { professionalId: nurse.personId, action: 'overridden', reviewDurationSeconds: 95 },
      },
    ]);
  });

  describe('VERSION.NOT_APPROVED_FOR_DEPLOYMENT', () => {
    it('given an output naming another version than the deployment was requested for, when derived, then it is found with the output, request and approval', () => {
      const other = '7e6d5c4b-3a29-4817-8f6e-5d4c3b2a1908';
      const [f] = only(facts(replacing('output.generated', { versionId: other })), 'VERSION.NOT_APPROVED_FOR_DEPLOYMENT');
      expect(f).toMatchObject({
        evidence: [SEQ.requested, SEQ.approved, SEQ.generated],
        details: { outputVersionId: other, deploymentVersionId: ids.versionId },
      });
    });

    it('given an approval made only after the output, when derived, then it is found', () => {
      const events = chainEvents().map((e) =>
        findEventDefinition(e.type)?.name === 'deployment.approved'
          ? makeEvent('deployment.approved', e.data as Record<string, unknown>, { time: t(20) })
          : e,
      );
      expect(only(facts(events), 'VERSION.NOT_APPROVED_FOR_DEPLOYMENT')[0]?.statement).toBe(
        `The ledger holds no approval of deployment ${ids.deploymentId} made at or before ${t(10)}.`,
      );
    });

    it('given the approved version, approved before the output, when derived, then it is not found', () => {
      expect(codes(facts(chainEvents()))).not.toContain('VERSION.NOT_APPROVED_FOR_DEPLOYMENT');
    });
  });

  describe('VERSION.NOT_RELEASED_AT_TIME', () => {
    it('given the version withdrawn with effect before the output, when derived, then it is found with the release and the withdrawal', () => {
      expect(only(facts([...chainEvents(), extra.withdrawn(t(8))]), 'VERSION.NOT_RELEASED_AT_TIME')).toEqual([
        expect.objectContaining({
          evidence: [SEQ.released, SEQ.generated, 10],
          details: { versionId: ids.versionId, status: 'withdrawn' },
        }),
      ]);
    });

    it('given a withdrawal effective after the output, when derived, then it is not found', () => {
      expect(codes(facts([...chainEvents(), extra.withdrawn(t(30))]))).not.toContain('VERSION.NOT_RELEASED_AT_TIME');
    });
  });

  describe('DEPLOYMENT.NOT_ACTIVE_AT_TIME', () => {
    it('given a suspension effective before the output, when derived, then it is found with the suspension as evidence', () => {
      expect(only(facts([...chainEvents(), extra.suspended(t(8))]), 'DEPLOYMENT.NOT_ACTIVE_AT_TIME')).toEqual([
        expect.objectContaining({
          statement: `Deployment ${ids.deploymentId} was suspended at ${t(10)}, following deployment.suspended with effect from ${t(8)}.`,
          evidence: [SEQ.generated, 10],
          details: { deploymentId: ids.deploymentId, state: 'suspended' },
        }),
      ]);
    });

    it('given a suspension only after the output, when derived as of the output, then it is not found; as of after the suspension, it is', () => {
      const all = facts([...chainEvents(), extra.suspended(t(12))]);
      expect(codes(all)).not.toContain('DEPLOYMENT.NOT_ACTIVE_AT_TIME');
      expect(findingsOf(all, t(15)).map((f) => f.code)).toContain('DEPLOYMENT.NOT_ACTIVE_AT_TIME');
    });
  });

  describe('SAFETY_NOTICE.NO_EMPLOYER_RESPONSE', () => {
    it('given a notice issued before the output and nothing done by the employer, when derived, then it is found', () => {
      expect(only(facts([...chainEvents(), extra.notice(t(8))]), 'SAFETY_NOTICE.NO_EMPLOYER_RESPONSE')).toEqual([
        expect.objectContaining({
          evidence: [SEQ.generated, 10],
          details: { noticeId, severity: 'high', requiredAction: 'Review low scores.' },
        }),
      ]);
    });

    it('given the employer issued a new usage policy after the notice and before the output, when derived, then it is not found', () => {
      const events = [...chainEvents(), extra.notice(t(6)), extra.policy({ use: 'advisory', minimumReviewSeconds: 0 }, t(7))];
      expect(codes(facts(events))).not.toContain('SAFETY_NOTICE.NO_EMPLOYER_RESPONSE');
    });

    it('given the notice resolved by the vendor before the output, when derived, then it is not in force and not found', () => {
      expect(codes(facts([...chainEvents(), extra.notice(t(6)), extra.resolved(t(8))]))).not.toContain(
        'SAFETY_NOTICE.NO_EMPLOYER_RESPONSE',
      );
    });
  });

  describe('POLICY.MANDATORY_USE', () => {
    it("given a mandatory policy for the output's site and the nurse's role, when derived, then it is found with the policy as evidence", () => {
      expect(only(facts([...chainEvents(), extra.policy({})]), 'POLICY.MANDATORY_USE')).toEqual([
        expect.objectContaining({
          evidence: [10],
          details: { policyId: 'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70', site: 'ward-7a', professionals: [nurse.personId] },
        }),
      ]);
    });

    it('given a mandatory policy for another site, or for other roles, when derived, then it is not found', () => {
      expect(codes(facts([...chainEvents(), extra.policy({ sites: ['ward-9'] })]))).not.toContain('POLICY.MANDATORY_USE');
      expect(codes(facts([...chainEvents(), extra.policy({ roles: ['registrar'] })]))).not.toContain('POLICY.MANDATORY_USE');
    });
  });

  describe('TRAINING.NONE_RECORDED', () => {
    it('given training completed only after the output, when derived, then it is found with what the nurse did and the later record', () => {
      expect(only(facts(replacing('training.recorded', { completedAt: t(12) })), 'TRAINING.NONE_RECORDED')).toEqual([
        expect.objectContaining({ evidence: [SEQ.training, SEQ.presented, SEQ.actedOn], details: { professionalId: nurse.personId } }),
      ]);
    });

    it('given training completed before the output, when derived, then it is not found', () => {
      expect(codes(facts(chainEvents()))).not.toContain('TRAINING.NONE_RECORDED');
    });
  });

  describe('REVIEW.BELOW_POLICY_MINIMUM', () => {
    it('given a 20 s review under a policy asking for 60 s, when derived, then it is found with the action and the policy', () => {
      expect(only(facts(replacing('output.acted-on', { reviewDurationSeconds: 20 })), 'REVIEW.BELOW_POLICY_MINIMUM')).toEqual([
        expect.objectContaining({
          evidence: [SEQ.policy, SEQ.actedOn],
          details: { professionalId: nurse.personId, reviewDurationSeconds: 20, minimumReviewSeconds: 60, policyId: ids.policyId },
        }),
      ]);
    });

    it('given a 95 s review, or a 20 s review under a policy for other roles, when derived, then it is not found', () => {
      expect(codes(facts(chainEvents()))).not.toContain('REVIEW.BELOW_POLICY_MINIMUM');
      const otherRoles = replacing(
        'usage-policy.issued',
        { roles: ['registrar'] },
        replacing('output.acted-on', { reviewDurationSeconds: 20 }),
      );
      expect(codes(facts(otherRoles))).not.toContain('REVIEW.BELOW_POLICY_MINIMUM');
    });
  });

  describe('ACTION.ACCEPTED_UNCHANGED and ACTION.OVERRIDDEN', () => {
    it('given the output accepted, when derived, then acceptance is found and override is not', () => {
      const found = findingsOf(facts(replacing('output.acted-on', { action: 'accepted', rationale: undefined })));
      expect(found.map((f) => f.code)).toEqual(['ACTION.ACCEPTED_UNCHANGED']);
      expect(found[0]?.statement).toContain('recording no rationale');
    });

    it('given the output modified or escalated, when derived, then neither is found', () => {
      expect(codes(facts(replacing('output.acted-on', { action: 'modified' })))).toEqual([]);
      expect(codes(facts(replacing('output.acted-on', { action: 'escalated' })))).toEqual([]);
    });
  });

  describe('INSTRUCTION.TO_FOLLOW_AI and INSTRUCTION.TO_USE_AI', () => {
    it('given a ward sister told the nurse to follow the AI, when derived, then it is found naming her role', () => {
      expect(only(facts([...chainEvents(), extra.instruction('follow-ai')]), 'INSTRUCTION.TO_FOLLOW_AI')).toEqual([
        expect.objectContaining({
          statement: `psn_wardsister01 (ward-sister) instructed ${nurse.personId} to follow the AI's output for output ${ids.outputId}.`,
          evidence: [10],
        }),
      ]);
    });

    it('given an instruction to use the AI, when derived, then that is found and not an instruction to follow it', () => {
      const found = codes(facts([...chainEvents(), extra.instruction('use-ai')]));
      expect(found).toContain('INSTRUCTION.TO_USE_AI');
      expect(found).not.toContain('INSTRUCTION.TO_FOLLOW_AI');
    });

    it('given an instruction not to use the AI, or none, when derived, then neither is found', () => {
      for (const all of [facts([...chainEvents(), extra.instruction('do-not-use-ai')]), facts(chainEvents())]) {
        expect(codes(all).filter((c) => c.startsWith('INSTRUCTION.'))).toEqual([]);
      }
    });
  });

  describe('RECORDING.LATE', () => {
    it('given the action recorded 40 minutes after it happened, when derived, then it is found with that entry', () => {
      expect(only(facts(chainEvents(), { [SEQ.actedOn]: 2400 }), 'RECORDING.LATE')).toEqual([
        expect.objectContaining({
          evidence: [SEQ.actedOn],
          details: { happenedAt: t(13), recordedAt: t(53), recordedLateBySeconds: 2400 },
        }),
      ]);
    });

    it('given every fact recorded within 15 minutes (exactly 15 for one), when derived, then it is not found', () => {
      expect(codes(facts(chainEvents(), { [SEQ.actedOn]: 900 }))).not.toContain('RECORDING.LATE');
    });
  });

  describe('RECORDING.BACK_DATED', () => {
    it('given a suspension decided after the output with effect from before it, when derived, then it is found beside the suspended state', () => {
      const found = findingsOf(facts([...chainEvents(), extra.suspended(t(8), t(30))]));
      expect(found.map((f) => f.code)).toEqual(['DEPLOYMENT.NOT_ACTIVE_AT_TIME', 'ACTION.OVERRIDDEN', 'RECORDING.BACK_DATED']);
      expect(found[2]).toMatchObject({ evidence: [10], details: { happenedAt: t(30), asOf: t(10) } });
    });

    it('given a suspension decided and effective before the output, when derived, then it is not back-dated', () => {
      expect(codes(facts([...chainEvents(), extra.suspended(t(8))]))).not.toContain('RECORDING.BACK_DATED');
    });
  });

  describe('every finding', () => {
    const everything = facts([
      ...replacing(
        'training.recorded',
        { completedAt: t(12) },
        replacing(
          'output.acted-on',
          { reviewDurationSeconds: 10 },
          replacing('output.generated', { versionId: '7e6d5c4b-3a29-4817-8f6e-5d4c3b2a1908' }),
        ),
      ),
      extra.notice(t(8)),
      extra.policy({}),
      extra.instruction('follow-ai'),
      extra.suspended(t(9), t(40)),
    ]);

    it('given one messy chain, when derived, then findings are listed in definition order, each titled from its definition', () => {
      const found = findingsOf(everything);
      const order = found.map((f) => FINDING_CODES.indexOf(f.code));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      for (const f of found) expect(f.title).toBe(FINDINGS[f.code].title);
    });

    it('given one messy chain, when derived, then statements state facts and never blame', () => {
      for (const f of findingsOf(everything))
        expect(f.statement).not.toMatch(/\b(fail|failed|negligen|should|must|blame|fault|violat|breach|error)/i);
    });
  });
});
