import { deciderSpec } from '@aal/testing/unit';
import { at, clinicalSystem, nurse, otherTrust, registrar } from '../../testing/usage.factories';
import type { KnownDeployment } from '../../deployment-directory/domain/known-deployment';
import type { InstructionFacts } from '../../instructions/domain/instruction.types';
import { outputDecider } from './output.decider';
import type {
  ActionFacts,
  GiveOutputInstruction,
  OutputEvent,
  OutputFacts,
  PresentationFacts,
  RecordAction,
  RecordOutput,
  RecordPresentation,
} from './output.types';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const GENERATED_AT = at(NOW, -60);
const receivedAt = at(NOW);
const { given } = deciderSpec(outputDecider);

const outputFacts: OutputFacts = {
  outputId: 'out-sepsis-0001',
  organisationId: clinicalSystem.organisationId,
  deploymentId: '6f1c2a9e-4b1d-4c8e-9a51-0d2f7b3e8c11',
  modelId: '0b7e6d5c-1a2b-4c3d-8e9f-a0b1c2d3e4f5',
  versionId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  subjectRef: 'psn_patientQwErTy',
  outputDigest: `sha256:${'c'.repeat(64)}`,
  site: 'ward-7',
  summary: 'sepsis risk: high (score 7)',
  actor: clinicalSystem,
};
const presentationFacts: PresentationFacts = {
  outputId: outputFacts.outputId,
  organisationId: clinicalSystem.organisationId,
  professional: nurse,
  site: 'ward-7',
  actor: clinicalSystem,
};
const actionFacts: ActionFacts = {
  outputId: outputFacts.outputId,
  organisationId: clinicalSystem.organisationId,
  professional: nurse,
  action: 'overridden',
  rationale: 'Lactate normal; clinical picture is dehydration.',
  reviewDurationSeconds: 95,
  actor: clinicalSystem,
};
const instructionFacts: InstructionFacts & { outputId: string } = {
  instructionId: '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a',
  organisationId: clinicalSystem.organisationId,
  instructor: registrar,
  professionalId: nurse.personId,
  kind: 'follow-ai',
  outputId: outputFacts.outputId,
  actor: clinicalSystem,
};

/** The reporting organisation's deployment, as the deployment directory knows it. */
const ownDeployment: KnownDeployment = {
  deploymentId: outputFacts.deploymentId,
  employerId: clinicalSystem.organisationId,
  status: 'active',
};
const otherTrustDeployment: KnownDeployment = {
  deploymentId: '2e4b6d8f-1a3c-4e5f-9b7d-0c2e4a6b8d1f',
  employerId: otherTrust.organisationId,
  status: 'active',
};

const recordOutput = (
  facts: Partial<OutputFacts> = {},
  occurredAt = GENERATED_AT,
  deployment: KnownDeployment | null = ownDeployment,
): RecordOutput => ({
  kind: 'RecordOutput',
  facts: { ...outputFacts, ...facts },
  occurredAt,
  receivedAt,
  deployment,
});
const present = (facts: Partial<PresentationFacts> = {}, occurredAt = at(NOW, -50)): RecordPresentation => ({
  kind: 'RecordPresentation',
  facts: { ...presentationFacts, ...facts },
  occurredAt,
  receivedAt,
});
const act = (facts: Partial<ActionFacts> = {}, occurredAt = at(NOW, -45)): RecordAction => ({
  kind: 'RecordAction',
  facts: { ...actionFacts, ...facts },
  occurredAt,
  receivedAt,
});
const instruct = (occurredAt = at(NOW, -55), facts: Partial<InstructionFacts> = {}): GiveOutputInstruction => ({
  kind: 'GiveInstruction',
  facts: { ...instructionFacts, ...facts },
  occurredAt,
  receivedAt,
});

const generated: OutputEvent = { name: 'output.generated', data: outputFacts, occurredAt: GENERATED_AT };
const generatedElsewhere: OutputEvent = {
  name: 'output.generated',
  data: { ...outputFacts, organisationId: otherTrust.organisationId, actor: otherTrust },
  occurredAt: GENERATED_AT,
};

describe('output decider', () => {
  describe('RecordOutput', () => {
    it('records a new output as generated at the reported time', () => {
      given()
        .when(recordOutput())
        .then([{ name: 'output.generated', data: outputFacts, occurredAt: GENERATED_AT }]);
    });

    it('accepts a late report: a generation days ago is a true fact, shown as late by the ledger', () => {
      const threeDaysAgo = at(NOW, -3 * 24 * 60);
      given()
        .when(recordOutput({}, threeDaysAgo))
        .then([{ name: 'output.generated', data: outputFacts, occurredAt: threeDaysAgo }]);
    });

    it('treats an identical re-post as a retry, deciding nothing, even with the time written at another offset', () => {
      given(generated)
        .when(recordOutput({}, at(NOW, -60, '+01:00')))
        .then([]);
    });

    it('refuses the same output id with different facts, naming the differing fields but not their values', () => {
      const refusal = given(generated)
        .when(recordOutput({ outputDigest: `sha256:${'d'.repeat(64)}` }, at(NOW, -59)))
        .thenRefuses('OUTPUT.ALREADY_RECORDED');
      expect(refusal.kind).toBe('conflict');
      expect(refusal.context).toEqual({ outputId: outputFacts.outputId, differingFields: ['outputDigest', 'occurredAt'] });
    });

    it('records the service and coarse population facts, and treats the same codes in another order as a retry', () => {
      const population = { ageBand: '65-79', contraindicationCodes: ['snomed:77386006', 'acme:pacemaker'] } as const;
      const withScopeFacts: OutputEvent = {
        name: 'output.generated',
        data: {
          ...outputFacts,
          service: 'acute-medicine',
          population: { ...population, contraindicationCodes: [...population.contraindicationCodes] },
        },
        occurredAt: GENERATED_AT,
      };
      given()
        .when(
          recordOutput({
            service: 'acute-medicine',
            population: { ...population, contraindicationCodes: [...population.contraindicationCodes] },
          }),
        )
        .then([withScopeFacts]);
      given(withScopeFacts)
        .when(
          recordOutput({
            service: 'acute-medicine',
            population: { ageBand: '65-79', contraindicationCodes: ['acme:pacemaker', 'snomed:77386006'] },
          }),
        )
        .then([]);
    });

    it('refuses a re-post that changes the service or the population facts, naming them', () => {
      const withScopeFacts: OutputEvent = {
        name: 'output.generated',
        data: { ...outputFacts, service: 'acute-medicine', population: { ageBand: '65-79' } },
        occurredAt: GENERATED_AT,
      };
      const refusal = given(withScopeFacts)
        .when(recordOutput({ service: 'paediatrics', population: { ageBand: '12-15' } }))
        .thenRefuses('OUTPUT.ALREADY_RECORDED');
      expect(refusal.context).toEqual({ outputId: outputFacts.outputId, differingFields: ['service', 'population'] });
      given(withScopeFacts)
        .when(recordOutput({ service: 'acute-medicine' }))
        .thenRefuses('OUTPUT.ALREADY_RECORDED');
    });

    it("refuses another organisation's report of an output id already recorded with one answer, whatever facts it guesses", () => {
      const asOtherTrust = (guess: Partial<OutputFacts>) =>
        given(generated).when(
          recordOutput(
            { organisationId: otherTrust.organisationId, deploymentId: otherTrustDeployment.deploymentId, actor: otherTrust, ...guess },
            GENERATED_AT,
            otherTrustDeployment,
          ),
        );
      const wrongGuess = asOtherTrust({ subjectRef: 'psn_someoneElse01' }).thenRefuses('OUTPUT.ID_IN_USE');
      const rightGuess = asOtherTrust({
        subjectRef: outputFacts.subjectRef,
        outputDigest: outputFacts.outputDigest,
        site: outputFacts.site,
      }).thenRefuses('OUTPUT.ID_IN_USE');
      expect(wrongGuess.kind).toBe('conflict');
      expect(rightGuess.detail).toBe(wrongGuess.detail);
      expect(rightGuess.context).toEqual(wrongGuess.context);
      expect(JSON.stringify(rightGuess.context)).not.toMatch(/differing|subjectRef|outputDigest|site/);
    });

    it('refuses an output of a deployment the directory does not know, saying a retry may succeed', () => {
      const refusal = given()
        .when(recordOutput({}, GENERATED_AT, null))
        .thenRefuses('OUTPUT.UNKNOWN_DEPLOYMENT');
      expect(refusal.kind).toBe('rule-violated');
      expect(refusal.detail).toContain('try again');
      expect(refusal.context).toMatchObject({
        deploymentId: outputFacts.deploymentId,
        errors: [expect.objectContaining({ pointer: '/deploymentId' })],
      });
    });

    it("refuses an output of another organisation's deployment", () => {
      const refusal = given()
        .when(recordOutput({ deploymentId: otherTrustDeployment.deploymentId }, GENERATED_AT, otherTrustDeployment))
        .thenRefuses('OUTPUT.DEPLOYMENT_OF_OTHER_ORGANISATION');
      expect(refusal.kind).toBe('forbidden');
      expect(refusal.context).toMatchObject({
        deploymentId: otherTrustDeployment.deploymentId,
        errors: [expect.objectContaining({ pointer: '/deploymentId' })],
      });
    });

    it('treats directory facts about another deployment as knowing nothing of this one', () => {
      given()
        .when(recordOutput({}, GENERATED_AT, { ...ownDeployment, deploymentId: otherTrustDeployment.deploymentId }))
        .thenRefuses('OUTPUT.UNKNOWN_DEPLOYMENT');
    });

    it.each(['requested', 'approved', 'rejected', 'suspended', 'revoked', 'expired'] as const)(
      'records an output of its own deployment that is %s: the ledger reports that as a finding, refusing would lose the record',
      (status) => {
        given()
          .when(recordOutput({}, GENERATED_AT, { ...ownDeployment, status }))
          .then([{ name: 'output.generated', data: outputFacts, occurredAt: GENERATED_AT }]);
      },
    );

    it('checks the deployment before treating a re-post as a retry', () => {
      given(generated)
        .when(recordOutput({}, GENERATED_AT, null))
        .thenRefuses('OUTPUT.UNKNOWN_DEPLOYMENT');
    });

    it('refuses a subject reference that holds an NHS-number-like run of digits', () => {
      const refusal = given()
        .when(recordOutput({ subjectRef: 'psn_9434765919' }))
        .thenRefuses('USAGE.IDENTIFIER_IN_PSEUDONYM');
      expect(refusal.kind).toBe('invalid');
      expect(refusal.context['errors']).toEqual([expect.objectContaining({ pointer: '/subjectRef' })]);
    });

    it('refuses a generation time more than 5 minutes ahead of the service clock', () => {
      given()
        .when(recordOutput({}, at(NOW, 6)))
        .thenRefuses('USAGE.OCCURRED_IN_FUTURE');
    });

    it('tolerates clock drift of up to 5 minutes ahead', () => {
      given()
        .when(recordOutput({}, at(NOW, 5)))
        .then([{ name: 'output.generated', data: outputFacts, occurredAt: at(NOW, 5) }]);
    });
  });

  describe('RecordPresentation', () => {
    it('records that a generated output was shown to a professional', () => {
      given(generated)
        .when(present())
        .then([{ name: 'output.presented', data: presentationFacts, occurredAt: at(NOW, -50) }]);
    });

    it('refuses a presentation of an output never recorded', () => {
      given().when(present()).thenRefuses('OUTPUT.NOT_FOUND');
    });

    it("refuses a presentation reported by an organisation other than the output's", () => {
      given(generatedElsewhere).when(present()).thenRefuses('OUTPUT.NOT_OWNER');
    });

    it('refuses a presentation before the output was generated, comparing instants not strings', () => {
      // 11:30+01:00 is 10:30Z: before generation at 11:00Z although the string sorts after it.
      const refusal = given(generated)
        .when(present({}, at(NOW, -90, '+01:00')))
        .thenRefuses('OUTPUT.BEFORE_GENERATION');
      expect(refusal.context).toMatchObject({ generatedAt: GENERATED_AT });
    });

    it('accepts a presentation at the very instant of generation', () => {
      given(generated)
        .when(present({}, GENERATED_AT))
        .then([{ name: 'output.presented', data: presentationFacts, occurredAt: GENERATED_AT }]);
    });

    it('treats an exact repeat of a presentation as a retry', () => {
      const shown: OutputEvent = { name: 'output.presented', data: presentationFacts, occurredAt: at(NOW, -50) };
      given(generated, shown).when(present()).then([]);
    });

    it("refuses a professional's pseudonym that looks like an NHS number", () => {
      const refusal = given(generated)
        .when(present({ professional: { personId: 'psn_x4857773456x', role: 'staff-nurse' } }))
        .thenRefuses('USAGE.IDENTIFIER_IN_PSEUDONYM');
      expect(refusal.context['errors']).toEqual([expect.objectContaining({ pointer: '/professional/personId' })]);
    });

    it('refuses a presentation time in the future', () => {
      given(generated)
        .when(present({}, at(NOW, 30)))
        .thenRefuses('USAGE.OCCURRED_IN_FUTURE');
    });
  });

  describe('RecordAction', () => {
    it('records an override with its rationale and review time', () => {
      given(generated)
        .when(act())
        .then([{ name: 'output.acted-on', data: actionFacts, occurredAt: at(NOW, -45) }]);
    });

    it.each(['overridden', 'modified', 'escalated'] as const)('refuses %s without a rationale', (action) => {
      const { rationale: _none, ...withoutRationale } = actionFacts;
      const refusal = given(generated)
        .when({ kind: 'RecordAction', facts: { ...withoutRationale, action }, occurredAt: at(NOW, -45), receivedAt })
        .thenRefuses('OUTPUT.RATIONALE_REQUIRED');
      expect(refusal.context['errors']).toEqual([expect.objectContaining({ pointer: '/rationale' })]);
    });

    it('refuses a blank rationale where one is required', () => {
      given(generated)
        .when(act({ action: 'escalated', rationale: '   ' }))
        .thenRefuses('OUTPUT.RATIONALE_REQUIRED');
    });

    it.each(['accepted', 'ignored'] as const)('records %s without a rationale', (action) => {
      const { rationale: _none, ...facts } = actionFacts;
      given(generated)
        .when({ kind: 'RecordAction', facts: { ...facts, action }, occurredAt: at(NOW, -45), receivedAt })
        .then([{ name: 'output.acted-on', data: { ...facts, action }, occurredAt: at(NOW, -45) }]);
    });

    it('refuses an action before the output was generated', () => {
      given(generated)
        .when(act({}, at(NOW, -61)))
        .thenRefuses('OUTPUT.BEFORE_GENERATION');
    });

    it('refuses an action on an output never recorded', () => {
      given().when(act()).thenRefuses('OUTPUT.NOT_FOUND');
    });

    it("refuses an action reported by an organisation other than the output's", () => {
      given(generatedElsewhere).when(act()).thenRefuses('OUTPUT.NOT_OWNER');
    });

    it('treats an exact repeat of an action as a retry', () => {
      const acted: OutputEvent = { name: 'output.acted-on', data: actionFacts, occurredAt: at(NOW, -45) };
      given(generated, acted).when(act()).then([]);
    });

    it('records a second, different action by the same professional', () => {
      const acted: OutputEvent = { name: 'output.acted-on', data: actionFacts, occurredAt: at(NOW, -45) };
      given(generated, acted)
        .when(act({ action: 'escalated', rationale: 'Asked the outreach team to review.' }, at(NOW, -40)))
        .then([
          {
            name: 'output.acted-on',
            data: { ...actionFacts, action: 'escalated', rationale: 'Asked the outreach team to review.' },
            occurredAt: at(NOW, -40),
          },
        ]);
    });
  });

  describe('GiveInstruction about the output', () => {
    it("records the instruction in the output's history", () => {
      given(generated)
        .when(instruct())
        .then([{ name: 'instruction.given', data: instructionFacts, occurredAt: at(NOW, -55) }]);
    });

    it('refuses an instruction about an output never recorded', () => {
      given().when(instruct()).thenRefuses('OUTPUT.NOT_FOUND');
    });

    it("refuses an instruction from an organisation other than the output's", () => {
      given(generatedElsewhere).when(instruct()).thenRefuses('OUTPUT.NOT_OWNER');
    });

    it('refuses an instruction about the output before it was generated', () => {
      given(generated)
        .when(instruct(at(NOW, -70)))
        .thenRefuses('OUTPUT.BEFORE_GENERATION');
    });

    it("refuses an instructor's pseudonym that looks like an NHS number", () => {
      const refusal = given(generated)
        .when(instruct(at(NOW, -55), { instructor: { personId: 'psn_4010232137', role: 'registrar' } }))
        .thenRefuses('USAGE.IDENTIFIER_IN_PSEUDONYM');
      expect(refusal.context['errors']).toEqual([expect.objectContaining({ pointer: '/instructor/personId' })]);
    });
  });

  describe('evolve', () => {
    it('keeps the generation time and every presentation, action and instruction in order', () => {
      const { state } = given(
        generated,
        { name: 'instruction.given', data: instructionFacts, occurredAt: at(NOW, -55) },
        { name: 'output.presented', data: presentationFacts, occurredAt: at(NOW, -50) },
        { name: 'output.acted-on', data: actionFacts, occurredAt: at(NOW, -45) },
      );
      expect(state).toEqual({
        status: 'generated',
        outputId: outputFacts.outputId,
        organisationId: outputFacts.organisationId,
        deploymentId: outputFacts.deploymentId,
        modelId: outputFacts.modelId,
        versionId: outputFacts.versionId,
        subjectRef: outputFacts.subjectRef,
        outputDigest: outputFacts.outputDigest,
        site: 'ward-7',
        summary: outputFacts.summary,
        generatedAt: GENERATED_AT,
        presentations: [{ professional: nurse, site: 'ward-7', occurredAt: at(NOW, -50) }],
        actions: [
          {
            professional: nurse,
            action: 'overridden',
            rationale: actionFacts.rationale,
            reviewDurationSeconds: 95,
            occurredAt: at(NOW, -45),
          },
        ],
        instructions: [
          {
            instructionId: instructionFacts.instructionId,
            organisationId: clinicalSystem.organisationId,
            instructor: registrar,
            professionalId: nurse.personId,
            kind: 'follow-ai',
            outputId: outputFacts.outputId,
            occurredAt: at(NOW, -55),
            givenBy: clinicalSystem,
          },
        ],
      });
    });
  });
});
