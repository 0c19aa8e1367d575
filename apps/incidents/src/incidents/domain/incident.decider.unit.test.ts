import type { IncidentAbout } from '@aal/contracts';
import { deciderSpec } from '@aal/testing/unit';
import { incidentDecider } from './incident.decider';
import type { ClassifyIncident, IncidentCommand, IncidentEvent } from './incident.types';

const incidentId = '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d';
const deploymentId = 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff';
const about: IncidentAbout = {
  deploymentId,
  deployerId: 'st-swithins-hospital',
  modelId: '11111111-2222-4333-8444-555555555555',
  versionId: '66666666-7777-4888-9999-aaaaaaaaaaaa',
  vendorId: 'acme-clinical-ai',
};
const deployer = { organisationId: 'st-swithins-hospital', personId: 'psn_sw_cso_00001', role: 'employer-approver' };
const provider = { organisationId: 'acme-clinical-ai', personId: 'psn_acme_safety01', role: 'vendor-safety-officer' };
const outsider = { organisationId: 'other-hospital', personId: 'psn_oh_admin00001', role: 'employer-admin' };
const now = '2026-11-03T10:00:00.000Z';

const classify = (o: Partial<ClassifyIncident> = {}): ClassifyIncident => ({
  kind: 'ClassifyIncident',
  incidentId,
  deploymentId,
  about,
  classification: 'serious-harm-to-health',
  publicHealthThreat: false,
  awareAt: '2026-11-02T09:00:00.000Z',
  harmReference: 'LFPSE W-2026-1182',
  informProviderWithinHours: 24,
  actor: deployer,
  occurredAt: now,
  ...o,
});

const classified: IncidentEvent = {
  name: 'incident.classified',
  occurredAt: now,
  data: {
    incidentId,
    about,
    classification: 'serious-harm-to-health',
    publicHealthThreat: false,
    awareAt: '2026-11-02T09:00:00.000Z',
    informProviderWithinHours: 24,
    harmReference: 'LFPSE W-2026-1182',
    actor: deployer,
  },
};

const inform = (o: Partial<{ madeAt: string; reference: string; actor: typeof deployer }> = {}): IncidentCommand => ({
  kind: 'RecordProviderInformed',
  incidentId,
  madeAt: '2026-11-02T16:00:00.000Z',
  reference: 'Email to acme-clinical-ai vigilance, ref SW-INC-118',
  actor: deployer,
  occurredAt: now,
  ...o,
});
const report = (
  authority: 'eu-market-surveillance-authority' | 'uk-mhra',
  o: Partial<{ madeAt: string; actor: typeof provider }> = {},
): IncidentCommand => ({
  kind: 'RecordAuthorityReport',
  incidentId,
  authority,
  madeAt: '2026-11-03T09:00:00.000Z',
  reference: 'MORE ref 2026/004711',
  actor: provider,
  occurredAt: now,
  ...o,
});

const { given } = deciderSpec(incidentDecider);

describe('incident decider', () => {
  describe('classifying', () => {
    it('given a deployment the directory knows, when its deployer classifies an incident, then incident.classified carries the resolved parties and the notice hours', () => {
      const { state } = given().when(classify()).then([classified]);
      expect(state).toMatchObject({ status: 'classified', classifiedAt: now, classifiedBy: deployer, authorityReports: [] });
    });

    it('keeps the outputs named, when any', () => {
      const { events } = given()
        .when(classify({ outputIds: ['out-7a-0001'] }))
        .decided();
      expect(events[0]!.data).toMatchObject({ outputIds: ['out-7a-0001'] });
    });

    it('refuses an unknown deployment, a caller that is not its deployer, and a second classification', () => {
      given()
        .when(classify({ about: null }))
        .thenRefuses('INCIDENT.UNKNOWN_DEPLOYMENT');
      given()
        .when(classify({ actor: outsider }))
        .thenRefuses('INCIDENT.NOT_THE_DEPLOYER');
      given(classified).when(classify()).thenRefuses('INCIDENT.ALREADY_CLASSIFIED');
    });

    it('refuses awareness after the request, and a harm reference holding an NHS number without echoing it', () => {
      given()
        .when(classify({ awareAt: '2026-11-03T10:00:01.000Z' }))
        .thenRefuses('INCIDENT.TIME_IN_FUTURE');
      const error = given()
        .when(classify({ harmReference: 'patient 943 476 5919' }))
        .thenRefuses('INCIDENT.IDENTIFIER_IN_TEXT');
      expect(JSON.stringify({ m: error.message, c: error.context })).not.toContain('5919');
    });
  });

  describe('informing the provider', () => {
    it('records it once, for the deployer only, made after awareness and not after the request', () => {
      const { state } = given(classified).when(inform()).decided();
      expect(state).toMatchObject({ providerInformed: { madeAt: '2026-11-02T16:00:00.000Z', recordedAt: now } });
      given(classified)
        .when(inform({ actor: provider }))
        .thenRefuses('INCIDENT.NOT_THE_DEPLOYER');
      given(classified)
        .when(inform({ madeAt: '2026-11-02T08:59:59.000Z' }))
        .thenRefuses('INCIDENT.BEFORE_AWARENESS');
      given(classified)
        .when(inform({ madeAt: '2026-11-04T00:00:00.000Z' }))
        .thenRefuses('INCIDENT.TIME_IN_FUTURE');
      const informed = given(classified).when(inform()).decided().events;
      given(classified, ...informed)
        .when(inform())
        .thenRefuses('INCIDENT.ALREADY_RECORDED');
    });

    it('refuses it for an incident not classified here', () => {
      given().when(inform()).thenRefuses('INCIDENT.NOT_FOUND');
    });
  });

  describe('the provider', () => {
    it('records when it became aware, once', () => {
      const aware: IncidentCommand = {
        kind: 'RecordProviderAware',
        incidentId,
        awareAt: '2026-11-02T17:00:00.000Z',
        actor: provider,
        occurredAt: now,
      };
      const { events, state } = given(classified).when(aware).decided();
      expect(events[0]).toMatchObject({ name: 'incident.provider-aware', data: { about, awareAt: '2026-11-02T17:00:00.000Z' } });
      expect(state).toMatchObject({ providerAware: { awareAt: '2026-11-02T17:00:00.000Z' } });
      given(classified, ...events)
        .when(aware)
        .thenRefuses('INCIDENT.ALREADY_RECORDED');
      given(classified)
        .when({ ...aware, actor: deployer })
        .thenRefuses('INCIDENT.NOT_THE_PROVIDER');
    });

    it('records one report per authority, and only the provider may', () => {
      const eu = given(classified).when(report('eu-market-surveillance-authority')).decided().events;
      expect(eu[0]).toMatchObject({
        name: 'incident.authority-reported',
        data: { authority: 'eu-market-surveillance-authority', madeAt: '2026-11-03T09:00:00.000Z' },
      });
      const { state } = given(classified, ...eu)
        .when(report('uk-mhra'))
        .decided();
      expect(state).toMatchObject({ authorityReports: [{ authority: 'eu-market-surveillance-authority' }, { authority: 'uk-mhra' }] });
      given(classified, ...eu)
        .when(report('eu-market-surveillance-authority'))
        .thenRefuses('INCIDENT.ALREADY_RECORDED');
      given(classified)
        .when(report('uk-mhra', { actor: { ...provider, organisationId: 'other-vendor' } }))
        .thenRefuses('INCIDENT.NOT_THE_PROVIDER');
      given(classified)
        .when(report('uk-mhra', { madeAt: '2026-11-03T10:00:00.001Z' }))
        .thenRefuses('INCIDENT.TIME_IN_FUTURE');
    });
  });
});
