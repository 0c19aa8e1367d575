import type { ConcernAbout } from '@aal/contracts';
import { deciderSpec } from '@aal/testing/unit';
import { concernDecider, resolveAddressees } from './concern.decider';
import type { ConcernCommand, ConcernEvent, RaiseConcern } from './concern.types';
import { DEFAULT_DUE_POLICY } from './due-dates';

const concernId = '0c6f2d3a-8e1b-4c5d-9f7a-1b2c3d4e5f60';
const modelId = '11111111-2222-4333-8444-555555555555';
const versionId = '66666666-7777-4888-9999-aaaaaaaaaaaa';
const deploymentId = 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff';
const vendorIntake = { organisationId: 'acme-clinical-ai', personId: 'psn_acme_intake01', role: 'concern-intake' };
const employerIntake = { organisationId: 'st-swithins-hospital', personId: 'psn_sw_intake0001', role: 'concern-intake' };
const employerAdmin = { organisationId: 'st-swithins-hospital', personId: 'psn_sw_admin00001', role: 'employer-admin' };
const vendorSafety = { organisationId: 'acme-clinical-ai', personId: 'psn_acme_safety01', role: 'vendor-safety-officer' };
const outsider = { organisationId: 'other-hospital', personId: 'psn_oh_intake0001', role: 'concern-intake' };

const onDeployment: ConcernAbout = {
  kind: 'deployment',
  deploymentId,
  employerId: 'st-swithins-hospital',
  modelId,
  versionId,
  vendorId: 'acme-clinical-ai',
};
const onVersion: ConcernAbout = { kind: 'model-version', modelId, versionId, vendorId: 'acme-clinical-ai' };
const raisedAt = '2026-03-02T10:00:00.000Z';

const raise = (o: Partial<RaiseConcern> = {}): RaiseConcern => ({
  kind: 'RaiseConcern',
  concernId,
  requested: { kind: 'deployment', deploymentId },
  about: onDeployment,
  category: 'bias-or-unequal-performance',
  description: 'Alerts seem to miss sepsis more often for patients with darker skin on ward 7A.',
  severity: 'high',
  raisedBy: 'patient-or-representative',
  addressees: 'both',
  duePolicy: DEFAULT_DUE_POLICY,
  actor: employerIntake,
  occurredAt: raisedAt,
  ...o,
});

const raised: ConcernEvent = {
  name: 'concern.raised',
  occurredAt: raisedAt,
  data: {
    concernId,
    intakeOrganisationId: 'st-swithins-hospital',
    about: onDeployment,
    category: 'bias-or-unequal-performance',
    description: 'Alerts seem to miss sepsis more often for patients with darker skin on ward 7A.',
    severity: 'high',
    raisedBy: 'patient-or-representative',
    addressees: [
      { party: 'vendor', organisationId: 'acme-clinical-ai' },
      { party: 'employer', organisationId: 'st-swithins-hospital' },
    ],
    acknowledgeBy: '2026-03-04T10:00:00.000Z',
    answerBy: '2026-03-16T10:00:00.000Z',
    actor: employerIntake,
  },
};

const acknowledge = (actor = vendorSafety, occurredAt = '2026-03-03T09:00:00.000Z'): ConcernCommand => ({
  kind: 'AcknowledgeConcern',
  concernId,
  actor,
  occurredAt,
});
const answer = (actor = vendorSafety, o: Partial<{ reference: string }> = {}): ConcernCommand => ({
  kind: 'AnswerConcern',
  concernId,
  actor,
  answer: 'mitigation-in-place',
  reference: o.reference ?? 'Hazard log HL-118; subgroup audit scheduled',
  occurredAt: '2026-03-10T09:00:00.000Z',
});
const acknowledgedBy = (actor: typeof vendorSafety, party: 'vendor' | 'employer', at: string): ConcernEvent => ({
  name: 'concern.acknowledged',
  occurredAt: at,
  data: { concernId, about: onDeployment, addressee: { party, organisationId: actor.organisationId }, actor },
});

const { given } = deciderSpec(concernDecider);

describe('concern decider', () => {
  describe('raising', () => {
    it('takes in a concern about a deployment for both parties, with due dates from its severity', () => {
      const { state } = given().when(raise()).then([raised]);
      expect(state).toMatchObject({ status: 'raised', raisedAt, takenInBy: employerIntake, acknowledgeBy: '2026-03-04T10:00:00.000Z' });
    });

    it('refuses a description holding an NHS number, naming the field and not echoing it', () => {
      const error = given()
        .when(raise({ description: 'Mrs X, NHS number 943 476 5919, was missed.' }))
        .thenRefuses('CONCERN.IDENTIFIER_IN_TEXT');
      expect(error.context).toEqual({ errors: [expect.objectContaining({ pointer: '/description', rule: 'no-identifier' })] });
      expect(JSON.stringify({ m: error.message, c: error.context })).not.toContain('5919');
    });

    it('refuses a deployment or a version this service does not know (yet)', () => {
      given()
        .when(raise({ about: null }))
        .thenRefuses('CONCERN.UNKNOWN_DEPLOYMENT');
      given()
        .when(raise({ about: null, requested: { kind: 'model-version', versionId } }))
        .thenRefuses('CONCERN.UNKNOWN_VERSION');
    });

    it('addresses a concern about a version to its vendor only', () => {
      given()
        .when(raise({ about: onVersion, requested: { kind: 'model-version', versionId }, addressees: 'both' }))
        .thenRefuses('CONCERN.NO_EMPLOYER_FOR_VERSION');
      const { events } = given()
        .when(raise({ about: onVersion, requested: { kind: 'model-version', versionId }, addressees: 'vendor', actor: vendorIntake }))
        .decided();
      expect(events[0]!.data).toMatchObject({ addressees: [{ party: 'vendor', organisationId: 'acme-clinical-ai' }] });
    });

    it('is taken in only by the vendor or the employer of what it is about', () => {
      expect(
        given()
          .when(raise({ actor: outsider }))
          .thenRefuses('CONCERN.INTAKE_NOT_A_PARTY'),
      ).toMatchObject({ kind: 'forbidden' });
      expect(
        given()
          .when(raise({ actor: vendorIntake }))
          .decided().events,
      ).toHaveLength(1);
      given()
        .when(raise({ about: onVersion, requested: { kind: 'model-version', versionId }, addressees: 'vendor' }))
        .thenRefuses('CONCERN.INTAKE_NOT_A_PARTY');
    });

    it('refuses to raise the same concern twice', () => {
      given(raised).when(raise()).thenRefuses('CONCERN.ALREADY_RAISED');
    });

    it('asks a vendor that deploys its own tool once', () => {
      expect(resolveAddressees({ ...onDeployment, employerId: 'acme-clinical-ai' }, 'both')).toEqual([
        { party: 'vendor', organisationId: 'acme-clinical-ai' },
      ]);
      expect(resolveAddressees(onDeployment, 'employer')).toEqual([{ party: 'employer', organisationId: 'st-swithins-hospital' }]);
    });
  });

  describe('acknowledging and answering', () => {
    it('lets each addressee acknowledge once; the concern is acknowledged when all have', () => {
      const first = given(raised)
        .when(acknowledge())
        .then([acknowledgedBy(vendorSafety, 'vendor', '2026-03-03T09:00:00.000Z')]);
      expect(first.state).toMatchObject({ status: 'raised' });
      const vendorAck = acknowledgedBy(vendorSafety, 'vendor', '2026-03-03T09:00:00.000Z');
      given(raised, vendorAck).when(acknowledge()).thenRefuses('CONCERN.ALREADY_ACKNOWLEDGED');
      const both = given(raised, vendorAck).when(acknowledge(employerAdmin, '2026-03-03T10:00:00.000Z')).decided();
      expect(both.state).toMatchObject({ status: 'acknowledged' });
    });

    it('refuses an organisation the concern is not addressed to', () => {
      expect(given(raised).when(acknowledge(outsider)).thenRefuses('CONCERN.NOT_AN_ADDRESSEE')).toMatchObject({ kind: 'forbidden' });
      given(raised).when(answer(outsider)).thenRefuses('CONCERN.NOT_AN_ADDRESSEE');
    });

    it('refuses to acknowledge or answer a concern that does not exist', () => {
      given().when(acknowledge()).thenRefuses('CONCERN.NOT_FOUND');
      given().when(answer()).thenRefuses('CONCERN.NOT_FOUND');
    });

    it('answers only after acknowledging, once, and is answered when every addressee has', () => {
      given(raised).when(answer()).thenRefuses('CONCERN.NOT_YET_ACKNOWLEDGED');
      const vendorAck = acknowledgedBy(vendorSafety, 'vendor', '2026-03-03T09:00:00.000Z');
      const employerAck = acknowledgedBy(employerAdmin, 'employer', '2026-03-03T10:00:00.000Z');
      const vendorAnswer = given(raised, vendorAck, employerAck).when(answer()).decided();
      expect(vendorAnswer.events[0]!.data).toMatchObject({ addressee: { party: 'vendor' }, answer: 'mitigation-in-place' });
      expect(vendorAnswer.state).toMatchObject({ status: 'acknowledged' });
      given(raised, vendorAck, employerAck, ...vendorAnswer.events)
        .when(answer())
        .thenRefuses('CONCERN.ALREADY_ANSWERED');
      const done = given(raised, vendorAck, employerAck, ...vendorAnswer.events)
        .when(answer(employerAdmin))
        .decided();
      expect(done.state).toMatchObject({ status: 'answered' });
    });

    it('refuses an answer whose reference holds an NHS number', () => {
      const vendorAck = acknowledgedBy(vendorSafety, 'vendor', '2026-03-03T09:00:00.000Z');
      given(raised, vendorAck)
        .when(answer(vendorSafety, { reference: 'see patient 9434765919' }))
        .thenRefuses('CONCERN.IDENTIFIER_IN_TEXT');
    });
  });
});
