import {
  buildEvent,
  DeploymentApprovedV1,
  DeploymentApprovedV2,
  ModelVersionReleasedV1,
  findEventDefinition,
  ModelVersionReleasedV2,
  validateAgainst,
  type CloudEvent,
  type DeploymentScope,
  type EventData,
  type EventDefinition,
} from '@aal/contracts';
import { actors, makeEvent, outputChainEvents } from '@aal/testing';
import { answerAccountability } from './accountability-answer';
import { buildAccountabilityChain, type AccountabilityChain } from './accountability-chain';
import type { Fact } from './fact';
import { deriveFindings, SCOPE_FINDING_CODES, type Finding, type FindingCode } from './findings';
import type { ScopeCheckName } from './scope-checks';
import { asFact } from './testing/as-fact';
import { randomUUID } from 'node:crypto';
import { ids, t } from './testing/chain-fixture';

// ---- test data: the factory's chain with a structured scope and a coded release ------------------
// Output at t(10) on ward-7a in Acute medicine, presented to and overridden by a staff nurse.

const SEQ = { released: 1, approved: 3, policy: 5, generated: 7, presented: 8, actedOn: 9, next: 10 };
const recorded = (time: string) => new Date(Date.parse(time) + 2_000).toISOString();

const SCOPE: DeploymentScope = {
  sites: ['ward-7a'],
  services: ['Acute medicine'],
  roles: ['staff-nurse'],
  population: { ageBands: ['18-39', '40-64', '65-79', '80-plus'], excludedContraindicationCodes: ['snomed:77386006'] },
  uses: ['advisory'],
};

/**
 * A fact of a v2 definition, its data checked against the definition's schema. deployment.approved
 * and model.version.released v2 join the catalogue with their producers; until then buildEvent
 * (which checks the catalogue) cannot build them.
 */
function v2Fact<D extends EventDefinition>(definition: D, data: EventData<D>, seq: number, time: string): Fact {
  if (findEventDefinition(definition.type)) return asFact(makeEvent(definition.name, data as never, { time }), seq, recorded(time));
  const issues = validateAgainst(definition.schema, data);
  if (issues.length > 0) throw new Error(`test data for ${definition.type} is invalid: ${JSON.stringify(issues)}`);
  const subject = definition.subjectOf(data as never);
  // Validated just above against the definition the union names for this name: the cast states only that.
  return { seq, name: definition.name, type: definition.type, subject, time, recordedAt: recorded(time), data } as unknown as Fact;
}

/** A fact of a v1 definition, named explicitly: the factory builds the newest version of each name. */
function v1Fact<D extends EventDefinition>(definition: D, data: EventData<D>, seq: number, time: string): Fact {
  return asFact(buildEvent(definition, data, { id: randomUUID(), source: `/aal/${definition.producer}/test`, time }), seq, recorded(time));
}

const base = () => outputChainEvents(ids);
const dataOf = (events: CloudEvent<unknown>[], seq: number) => events[seq]!.data as Record<string, unknown>;

interface Scenario {
  /** The approval's scope; null: a v1 approval without one. */
  scope?: DeploymentScope | null;
  reviewDate?: string;
  /** false: a v1 release (contraindications as wording only). */
  codedRelease?: boolean;
  output?: Record<string, unknown>;
  presentedAs?: string;
  policyUse?: 'advisory' | 'mandatory';
  extra?: CloudEvent<unknown>[];
}

/** The chain's facts for a scenario, seq = position; extra events follow at SEQ.next on. */
function scenario(s: Scenario = {}): Fact[] {
  const events = base();
  const policy = { ...dataOf(events, SEQ.policy), use: s.policyUse ?? 'advisory' };
  const presented = dataOf(events, SEQ.presented);
  const replaced: CloudEvent<unknown>[] = events.map((e, seq) => {
    if (seq === SEQ.generated) {
      const data = {
        ...dataOf(events, seq),
        service: 'Acute medicine',
        population: { ageBand: '40-64', contraindicationCodes: [] },
        ...s.output,
      };
      // `{ service: undefined }` in a scenario: the output does not state it.
      return makeEvent('output.generated', Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)), { time: e.time });
    }
    if (seq === SEQ.policy) return makeEvent('usage-policy.issued', policy, { time: e.time });
    if (seq === SEQ.presented && s.presentedAs)
      return makeEvent(
        'output.presented',
        { ...presented, professional: { personId: 'psn_assistant00001', role: s.presentedAs } },
        { time: e.time },
      );
    return e;
  });
  const facts = [...replaced, ...(s.extra ?? [])].map((e, seq) => asFact(e, seq, recorded(e.time)));
  const approval = dataOf(events, SEQ.approved) as EventData<typeof DeploymentApprovedV2>;
  if (s.scope !== null)
    facts[SEQ.approved] = v2Fact(
      DeploymentApprovedV2,
      { ...approval, reviewDate: s.reviewDate ?? approval.reviewDate, scope: s.scope ?? SCOPE },
      SEQ.approved,
      events[SEQ.approved]!.time,
    );
  else {
    const { scope: _none, ...v1 } = { ...approval, reviewDate: s.reviewDate ?? approval.reviewDate };
    facts[SEQ.approved] = v1Fact(DeploymentApprovedV1, v1, SEQ.approved, events[SEQ.approved]!.time);
  }
  if (s.codedRelease === false) {
    const { intendedPopulation: _none, ...release } = dataOf(events, SEQ.released) as EventData<typeof ModelVersionReleasedV2>;
    const v1 = { ...release, contraindications: ['Patients under 18', 'Patients with a pacemaker'] };
    facts[SEQ.released] = v1Fact(ModelVersionReleasedV1, v1, SEQ.released, events[SEQ.released]!.time);
  } else {
    const release = dataOf(events, SEQ.released) as EventData<typeof ModelVersionReleasedV2>;
    facts[SEQ.released] = v2Fact(
      ModelVersionReleasedV2,
      {
        ...release,
        contraindications: [
          { code: 'acme:paediatric', text: 'Patients under 18' },
          { code: 'acme:pacemaker', text: 'Patients with a pacemaker' },
        ],
        intendedPopulation: { ageBands: ['16-17', '18-39', '40-64', '65-79', '80-plus'], text: 'Adults and older adolescents' },
      },
      SEQ.released,
      events[SEQ.released]!.time,
    );
  }
  return facts;
}

const scopeChange = (scope: DeploymentScope, effectiveAt: string, time = effectiveAt, reviewDate = '2027-11-01') =>
  makeEvent(
    'deployment.scope-changed',
    {
      deploymentId: ids.deploymentId,
      employerId: 'st-swithins',
      scope,
      reviewDate,
      reason: 'Ward 7b joins after its staff were trained.',
      effectiveAt,
      actor: actors.safetyOfficer,
    },
    { time },
  );

const reviewed = (nextReviewDate: string, effectiveAt: string) =>
  makeEvent(
    'deployment.reviewed',
    {
      deploymentId: ids.deploymentId,
      employerId: 'st-swithins',
      summary: 'No incidents; override rate as expected.',
      nextReviewDate,
      effectiveAt,
      actor: actors.safetyOfficer,
    },
    { time: effectiveAt },
  );

function chainOf(facts: Fact[], asOf?: string): AccountabilityChain {
  const chain = buildAccountabilityChain(ids.outputId, facts, asOf ? { asOf } : {});
  if (!chain) throw new Error('expected a chain');
  return chain;
}
const findings = (facts: Fact[]): Finding[] => deriveFindings(chainOf(facts));
const only = (facts: Fact[], code: FindingCode) => findings(facts).filter((f) => f.code === code);
const outcomes = (facts: Fact[]) => Object.fromEntries(chainOf(facts).scopeChecks.map((c) => [c.check, c.outcome]));
const checkOf = (facts: Fact[], name: ScopeCheckName) => chainOf(facts).scopeChecks.find((c) => c.check === name)!;
const SCOPE_CODES: readonly string[] = SCOPE_FINDING_CODES;
const scopeFindingCodes = (facts: Fact[]) =>
  findings(facts)
    .filter((f) => SCOPE_CODES.includes(f.code))
    .map((f) => f.code);

// ---- the checks and their findings -------------------------------------------------------------------

describe('scope checks and their findings', () => {
  it('given an output within the approved scope and the intended population, when derived, then every check is made, within, and nothing is found', () => {
    const facts = scenario();
    expect(outcomes(facts)).toEqual({
      site: 'within',
      service: 'within',
      role: 'within',
      'approved-age-band': 'within',
      'approved-contraindications': 'within',
      'version-age-band': 'within',
      'version-contraindications': 'within',
      use: 'within',
      'review-date': 'within',
    });
    expect(scopeFindingCodes(facts)).toEqual([]);
    expect(chainOf(facts).approvedAndDeployed.scope).toMatchObject({
      source: 'deployment.approved',
      scope: SCOPE,
      decidedBy: actors.safetyOfficer,
      evidence: [SEQ.approved],
    });
  });

  describe('SCOPE.SITE_NOT_APPROVED', () => {
    it('given an output on a ward the scope does not name, when derived, then it is found with the approval and the output', () => {
      expect(only(scenario({ output: { site: 'ward-7b' } }), 'SCOPE.SITE_NOT_APPROVED')).toEqual([
        {
          code: 'SCOPE.SITE_NOT_APPROVED',
          title: 'Site outside the approved scope',
          statement: `Output ${ids.outputId} was produced on ward-7b; the scope in force at ${t(10)} (entry ${SEQ.approved}) approves the sites ward-7a.`,
          evidence: [SEQ.approved, SEQ.generated],
          details: { check: 'site', site: 'ward-7b', approvedSites: ['ward-7a'] },
        },
      ]);
    });

    it('given a scope change adding the ward with effect before the output, when derived, then it is not found and the change is the scope in force', () => {
      const facts = scenario({ output: { site: 'ward-7b' }, extra: [scopeChange({ ...SCOPE, sites: ['ward-7a', 'ward-7b'] }, t(8))] });
      expect(scopeFindingCodes(facts)).toEqual([]);
      expect(chainOf(facts).approvedAndDeployed.scope).toMatchObject({ source: 'deployment.scope-changed', evidence: [SEQ.next] });
    });

    it('given the scope change effective only after the output, when derived, then it is still found on the approval', () => {
      const facts = scenario({ output: { site: 'ward-7b' }, extra: [scopeChange({ ...SCOPE, sites: ['ward-7a', 'ward-7b'] }, t(20))] });
      expect(only(facts, 'SCOPE.SITE_NOT_APPROVED')[0]?.evidence).toEqual([SEQ.approved, SEQ.generated]);
    });

    it('given a scope change made after the output but back-dated before it, when derived, then the site is within and the change shows as back-dated', () => {
      const facts = scenario({
        output: { site: 'ward-7b' },
        extra: [scopeChange({ ...SCOPE, sites: ['ward-7a', 'ward-7b'] }, t(8), t(30))],
      });
      expect(scopeFindingCodes(facts)).toEqual([]);
      expect(only(facts, 'RECORDING.BACK_DATED').map((f) => f.evidence)).toEqual([[SEQ.next]]);
    });

    it('given the back-dated change not yet known at knownAt, when answered, then the site is found outside', () => {
      const facts = scenario({
        output: { site: 'ward-7b' },
        extra: [scopeChange({ ...SCOPE, sites: ['ward-7a', 'ward-7b'] }, t(8), t(30))],
      });
      const answer = answerAccountability(ids.outputId, facts, {
        knownAt: { seq: SEQ.actedOn, recordedAt: facts[SEQ.actedOn]!.recordedAt, source: 'requested' },
      });
      expect(answer?.findings.map((f) => f.code)).toContain('SCOPE.SITE_NOT_APPROVED');
    });
  });

  describe('SCOPE.SERVICE_NOT_APPROVED', () => {
    it('given an output in a service the scope does not name, when derived, then it is found', () => {
      expect(only(scenario({ output: { service: 'Paediatrics' } }), 'SCOPE.SERVICE_NOT_APPROVED')).toEqual([
        expect.objectContaining({
          evidence: [SEQ.approved, SEQ.generated],
          details: { check: 'service', service: 'Paediatrics', approvedServices: ['Acute medicine'] },
        }),
      ]);
    });

    it('given an output that does not state its service, when derived, then it is not found and the chain says the check was not made', () => {
      const facts = scenario({ output: { service: undefined } });
      expect(scopeFindingCodes(facts)).toEqual([]);
      expect(checkOf(facts, 'service')).toEqual({
        check: 'service',
        outcome: 'not-checked',
        statement: `Not checked: output ${ids.outputId} does not state the service it was produced in.`,
        evidence: [SEQ.generated],
        details: {},
      });
    });
  });

  describe('SCOPE.ROLE_NOT_APPROVED', () => {
    it('given the output presented to a role the scope does not name, when derived, then it is found with the presentation', () => {
      expect(only(scenario({ presentedAs: 'healthcare-assistant' }), 'SCOPE.ROLE_NOT_APPROVED')).toEqual([
        expect.objectContaining({
          statement: `psn_assistant00001 (healthcare-assistant) saw or acted on output ${ids.outputId}; the scope in force at ${t(10)} (entry ${SEQ.approved}) approves the roles staff-nurse.`,
          evidence: [SEQ.approved, SEQ.presented],
          details: {
            check: 'role',
            professionals: [{ personId: 'psn_assistant00001', role: 'healthcare-assistant' }],
            approvedRoles: ['staff-nurse'],
          },
        }),
      ]);
    });

    it('given only approved roles saw and acted on it, when derived, then it is not found', () => {
      expect(scopeFindingCodes(scenario())).not.toContain('SCOPE.ROLE_NOT_APPROVED');
    });
  });

  describe('SCOPE.POPULATION_NOT_APPROVED', () => {
    it('given an age band the approval does not cover, when derived, then it is found (the version intends it, so only the approval excludes it)', () => {
      const facts = scenario({ output: { population: { ageBand: '16-17' } } });
      expect(scopeFindingCodes(facts)).toEqual(['SCOPE.POPULATION_NOT_APPROVED']);
      expect(only(facts, 'SCOPE.POPULATION_NOT_APPROVED')[0]).toMatchObject({
        evidence: [SEQ.approved, SEQ.generated],
        details: { check: 'approved-age-band', ageBand: '16-17' },
      });
    });

    it('given an excluded contraindication code present, when derived, then it is found naming the code', () => {
      const facts = scenario({ output: { population: { ageBand: '40-64', contraindicationCodes: ['snomed:77386006', 'snomed:1234'] } } });
      expect(only(facts, 'SCOPE.POPULATION_NOT_APPROVED')).toEqual([
        expect.objectContaining({
          statement: `Output ${ids.outputId} was for a patient with snomed:77386006, which the approved scope in force (entry ${SEQ.approved}) excludes.`,
          details: {
            check: 'approved-contraindications',
            contraindicationCodes: ['snomed:77386006'],
            excludedContraindicationCodes: ['snomed:77386006'],
          },
        }),
      ]);
    });

    it('given an output without population facts, when derived, then nothing is found and both population checks say why', () => {
      const facts = scenario({ output: { population: undefined } });
      expect(scopeFindingCodes(facts)).toEqual([]);
      expect(checkOf(facts, 'approved-age-band').statement).toBe(`Not checked: output ${ids.outputId} does not state an age band.`);
      expect(checkOf(facts, 'version-contraindications').statement).toBe(
        `Not checked: output ${ids.outputId} does not state which contraindication codes are present.`,
      );
    });
  });

  describe('VERSION.POPULATION_EXCLUDED', () => {
    it("given an age band outside the version's intended population, when derived, then it is found on the release (and on the approval)", () => {
      const facts = scenario({ output: { population: { ageBand: '12-15' } } });
      expect(scopeFindingCodes(facts)).toEqual(['SCOPE.POPULATION_NOT_APPROVED', 'VERSION.POPULATION_EXCLUDED']);
      expect(only(facts, 'VERSION.POPULATION_EXCLUDED')[0]).toMatchObject({
        evidence: [SEQ.released, SEQ.generated],
        details: { check: 'version-age-band', ageBand: '12-15', ageBands: ['16-17', '18-39', '40-64', '65-79', '80-plus'] },
      });
    });

    it('given a coded contraindication of the version present, when derived, then it is found', () => {
      const facts = scenario({ output: { population: { contraindicationCodes: ['acme:pacemaker'] } } });
      expect(only(facts, 'VERSION.POPULATION_EXCLUDED')).toEqual([
        expect.objectContaining({
          statement: `Output ${ids.outputId} was for a patient with acme:pacemaker, which the release of version ${ids.versionId} (entry ${SEQ.released}) lists as a contraindication.`,
          details: expect.objectContaining({ check: 'version-contraindications', contraindicationCodes: ['acme:pacemaker'] }),
        }),
      ]);
    });

    it('given a v1 release (wording only), when derived, then nothing is found and the checks say the release has no codes', () => {
      const facts = scenario({
        codedRelease: false,
        output: { population: { ageBand: '12-15', contraindicationCodes: ['acme:pacemaker'] } },
      });
      expect(scopeFindingCodes(facts)).not.toContain('VERSION.POPULATION_EXCLUDED');
      expect(checkOf(facts, 'version-contraindications')).toMatchObject({
        outcome: 'not-checked',
        statement: `Not checked: the release of version ${ids.versionId} (entry ${SEQ.released}) states its contraindications as wording only, without codes.`,
        evidence: [SEQ.released],
      });
      expect(checkOf(facts, 'version-age-band').outcome).toBe('not-checked');
    });
  });

  describe('SCOPE.MANDATED_USE_NOT_APPROVED', () => {
    it('given a mandatory-use policy covering the output where only advisory use was approved, when derived, then it is found with the policy', () => {
      const facts = scenario({ policyUse: 'mandatory' });
      expect(only(facts, 'SCOPE.MANDATED_USE_NOT_APPROVED')).toEqual([
        expect.objectContaining({
          evidence: [SEQ.approved, SEQ.policy],
          details: { check: 'use', mandates: [{ kind: 'policy', id: ids.policyId }], approvedUses: ['advisory'] },
        }),
      ]);
      expect(findings(facts).map((f) => f.code)).toContain('POLICY.MANDATORY_USE');
    });

    it('given an instruction to follow the AI where only advisory use was approved, when derived, then it is found with the instruction', () => {
      const instruction = makeEvent(
        'instruction.given',
        {
          instructionId: 'f0e1d2c3-b4a5-4968-8778-695a4b3c2d1e',
          organisationId: 'st-swithins',
          instructor: { personId: 'psn_wardsister01', role: 'ward-sister' },
          professionalId: 'psn_nurse0000001',
          kind: 'follow-ai',
          outputId: ids.outputId,
          actor: actors.clinicalSystem,
        },
        { time: t(12) },
      );
      expect(only(scenario({ extra: [instruction] }), 'SCOPE.MANDATED_USE_NOT_APPROVED')[0]?.evidence).toEqual([SEQ.approved, SEQ.next]);
    });

    it('given mandatory use approved, when a mandatory policy covers the output, then it is not found', () => {
      expect(scopeFindingCodes(scenario({ policyUse: 'mandatory', scope: { ...SCOPE, uses: ['advisory', 'mandatory'] } }))).toEqual([]);
    });
  });

  describe('APPROVAL.REVIEW_OVERDUE', () => {
    it('given an output on the review date, with no review recorded, when derived, then it is found with the approval', () => {
      expect(only(scenario({ reviewDate: '2026-11-02' }), 'APPROVAL.REVIEW_OVERDUE')).toEqual([
        expect.objectContaining({
          statement: `At ${t(10)} the review date 2026-11-02, set by entry ${SEQ.approved} (deployment.approved), had been reached, and no review in force then renewed the approval of deployment ${ids.deploymentId}.`,
          evidence: [SEQ.approved, SEQ.generated],
          details: { check: 'review-date', reviewDate: '2026-11-02', setBy: 'deployment.approved' },
        }),
      ]);
    });

    it('given a review in force before the output that set a later date, when derived, then it is not found and the review sets the date in force', () => {
      const facts = scenario({ reviewDate: '2026-11-02', extra: [reviewed('2027-05-01', t(6))] });
      expect(scopeFindingCodes(facts)).toEqual([]);
      expect(chainOf(facts).approvedAndDeployed.reviewDateInForce).toMatchObject({
        reviewDate: '2027-05-01',
        source: 'deployment.reviewed',
        evidence: [SEQ.next],
      });
    });

    it('given a review date the day after the output, when derived, then it is not found', () => {
      expect(scopeFindingCodes(scenario({ reviewDate: '2026-11-03' }))).toEqual([]);
    });

    it('given a v1 approval past its review date, when derived, then it is found: the review date needs no structured scope', () => {
      expect(scopeFindingCodes(scenario({ scope: null, reviewDate: '2026-11-01' }))).toEqual(['APPROVAL.REVIEW_OVERDUE']);
    });
  });

  it('given a v1 approval without a scope, when derived, then no scope finding is made and each scope check says the approval states none', () => {
    const facts = scenario({ scope: null, output: { site: 'ward-9', service: 'Paediatrics' }, policyUse: 'mandatory' });
    expect(scopeFindingCodes(facts)).toEqual([]);
    expect(chainOf(facts).approvedAndDeployed.scope).toBeNull();
    const statement = `Not checked: the approval of deployment ${ids.deploymentId} (entry ${SEQ.approved}) states no machine-readable scope, and no scope change was in force at ${t(10)}.`;
    for (const name of ['site', 'service', 'role', 'approved-age-band', 'approved-contraindications', 'use'] as const) {
      expect(checkOf(facts, name)).toEqual({ check: name, outcome: 'not-checked', statement, evidence: [SEQ.approved], details: {} });
    }
  });
});
