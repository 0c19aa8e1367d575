import type { Caller } from '@aal/http';
import { topicsFor, type KafkaClient } from '@aal/kafka';
import {
  createTestDatabase,
  createTestKafka,
  eventually,
  httpClient,
  startApp,
  testAuthSettings,
  testCheckpointSettings,
  testProducerConfig,
  testLedgerEventKeys,
  tokenFor,
  type HttpResult,
  type RunningApp,
  type TestDatabase,
} from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { AppModule as Concerns } from '../../apps/concerns/src/app.module';
import { concernBody } from '../../apps/concerns/src/testing/concerns-app';
import { DEFAULT_DUE_POLICY, type DuePolicy } from '../../apps/concerns/src/concerns/domain/due-dates';
import { duePolicyFromEnv } from '../../apps/concerns/src/config';
import { AppModule as DeploymentApproval } from '../../apps/deployment-approval/src/app.module';
import { AppModule as Incidents } from '../../apps/incidents/src/app.module';
import { informProviderHoursFrom } from '../../apps/incidents/src/config';
import { AppModule as Ledger } from '../../apps/ledger/src/app.module';
import { AppModule as ModelRegistry } from '../../apps/model-registry/src/app.module';
import { AppModule as UsageEvents } from '../../apps/usage-events/src/app.module';
import { DEMO_CONCERN_DUE_PERIODS, playDemoScenario, untilKnown, type DemoResult } from '../../scripts/demo-scenario';
import { ALL_SCHEMAS } from '../../scripts/service-schemas';

// The four services of the output chain, the concerns and the incidents services, as main.ts builds them, on one
// real PostgreSQL database (a schema each) and one Kafka topic prefix: what the cross-service
// tests start from (the name predates concerns and incidents). The API tests (security,
// fuzzing) add organisation A's chain of records made through their APIs; the end-to-end tests
// play the demo scenario or their own story through them.

export type Service = 'model-registry' | 'deployment-approval' | 'usage-events' | 'concerns' | 'incidents' | 'ledger';
export const SERVICES: readonly Service[] = ['model-registry', 'deployment-approval', 'usage-events', 'concerns', 'incidents', 'ledger'];

export const A = { vendor: 'acme-clinical-ai', employer: 'st-swithins-hospital', investigators: 'patient-safety-investigations' };
export const B = { vendor: 'rival-ai-labs', employer: 'other-hospital', investigators: 'other-investigations' };
export const people = {
  vendorA: { organisationId: A.vendor, personId: 'psn_acme_vendor_01', role: 'vendor-admin' },
  vendorB: { organisationId: B.vendor, personId: 'psn_rival_vendor_1', role: 'vendor-admin' },
  requesterA: { organisationId: A.employer, personId: 'psn_sw_requester1', role: 'employer-requester' },
  approverA: { organisationId: A.employer, personId: 'psn_sw_approver01', role: 'employer-approver' },
  adminA: { organisationId: A.employer, personId: 'psn_sw_admin00001', role: 'employer-admin' },
  adminB: { organisationId: B.employer, personId: 'psn_oh_admin00001', role: 'employer-admin' },
  clinicalA: { organisationId: A.employer, personId: 'psn_sw_epr_system', role: 'clinical-system' },
  clinicalB: { organisationId: B.employer, personId: 'psn_oh_epr_system', role: 'clinical-system' },
  investigatorA: { organisationId: A.investigators, personId: 'psn_psi_invest_01', role: 'investigator' },
  investigatorB: { organisationId: B.investigators, personId: 'psn_oi_invest_001', role: 'investigator' },
  auditorA: { organisationId: A.employer, personId: 'psn_sw_auditor001', role: 'auditor' },
  intakeA: { organisationId: A.employer, personId: 'psn_sw_intake0001', role: 'concern-intake' },
  intakeB: { organisationId: B.employer, personId: 'psn_oh_intake0001', role: 'concern-intake' },
  vendorSafetyA: { organisationId: A.vendor, personId: 'psn_acme_safety01', role: 'vendor-safety-officer' },
} satisfies Record<string, Caller>;

export interface FourServices {
  readonly db: TestDatabase;
  readonly kafka: KafkaClient;
  readonly url: Readonly<Record<Service, string>>;
  readonly call: Readonly<Record<Service, ReturnType<typeof httpClient>>>;
  /** model-registry's event topic, under this run's prefix. */
  readonly modelRegistryTopic: string;
  close(): Promise<void>;
}

export interface FourServicesOptions {
  readonly checkpoints?: ReturnType<typeof testCheckpointSettings>['settings'];
  /** The concerns service's due periods; the defaults unless given. */
  readonly concernDuePolicy?: DuePolicy;
}

/** The options of a run that plays the demo (playDemoOn): the concerns service with the demo stack's short due periods. */
export const DEMO_STACK: FourServicesOptions = { concernDuePolicy: duePolicyFromEnv(DEMO_CONCERN_DUE_PERIODS) };

/**
 * Starts the four services in-process; `name` tells this run's database and topic prefix apart.
 * The ledger signs checkpoints as `testCheckpointSettings()` does unless `options.checkpoints` says otherwise.
 */
export async function startFourServices(name: string, options: FourServicesOptions = {}): Promise<FourServices> {
  const db = await createTestDatabase(ALL_SCHEMAS);
  const { kafka, settings } = await createTestKafka(name);
  const producer = (service: Exclude<Service, 'ledger'>) =>
    testProducerConfig(service, { database: db.settings, kafka: settings, instanceId: name });
  const started: RunningApp[] = [];
  try {
    started.push(
      ...(await Promise.all([
        startApp(ModelRegistry.register(producer('model-registry')), 'model-registry'),
        startApp(DeploymentApproval.register(producer('deployment-approval')), 'deployment-approval'),
        startApp(UsageEvents.register(producer('usage-events')), 'usage-events'),
        startApp(Concerns.register({ ...producer('concerns'), duePolicy: options.concernDuePolicy ?? DEFAULT_DUE_POLICY }), 'concerns'),
        startApp(
          Incidents.register({ ...producer('incidents'), informProviderWithinHours: informProviderHoursFrom(undefined) }),
          'incidents',
        ),
        startApp(
          Ledger.register({
            port: 0,
            database: db.settings,
            kafka: { ...settings, clientId: 'ledger' },
            checkpoints: options.checkpoints ?? testCheckpointSettings().settings,
            ...testLedgerEventKeys(),
            auth: testAuthSettings('ledger'),
          }),
          'ledger',
        ),
      ])),
    );
  } catch (err) {
    await Promise.all(started.map((a) => a.close()));
    await db.drop();
    throw err;
  }
  const url = Object.fromEntries(SERVICES.map((s, i) => [s, started[i]!.baseUrl])) as Record<Service, string>;
  return {
    db,
    kafka,
    url,
    call: Object.fromEntries(SERVICES.map((s) => [s, httpClient(url[s])])) as Record<Service, ReturnType<typeof httpClient>>,
    modelRegistryTopic: topicsFor(settings).events['model-registry'],
    close: async () => {
      await Promise.all(started.map((a) => a.close()));
      await db.drop();
    },
  };
}

/** The demo scenario (scripts/demo-scenario.ts) played through the four services' APIs, started with DEMO_STACK for its late answer. */
export function playDemoOn(services: FourServices): Promise<DemoResult> {
  const { url } = services;
  return playDemoScenario(
    {
      modelRegistry: url['model-registry'],
      deploymentApproval: url['deployment-approval'],
      usageEvents: url['usage-events'],
      concerns: url.concerns,
      incidents: url.incidents,
      ledger: url.ledger,
    },
    tokenFor,
  );
}

/** The records of organisation A that `seedChain` makes: one of each kind, linked. */
export interface ChainIds {
  modelId: string;
  versionId: string;
  noticeId: string;
  deploymentId: string;
  trainingId: string;
  outputId: string;
  incidentId: string;
  mandateId: string;
  caseId: string;
  /** A concern A's intake raised about A's deployment, addressed to A's vendor and employer. */
  concernId: string;
}

/** The body of a set-up request's answer; throws unless the request succeeded (status below 300). */
export async function ok(res: Promise<HttpResult>): Promise<any> {
  const r = await res;
  if (r.status >= 300) throw new Error(`setup request answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Organisation A's chain, from model to case, made through the four APIs. */
export async function seedChain(call: FourServices['call']): Promise<ChainIds> {
  const ids = {} as ChainIds;
  const model = await ok(
    call['model-registry']('POST', '/models', {
      caller: people.vendorA,
      body: {
        name: 'SepsisWatch',
        intendedPurpose: 'Flags adult inpatients at risk of sepsis.',
        riskClass: 'uk-mdr-class-iia',
        manufacturerSafetyOfficer: 'psn_acme_cso_0001',
      },
    }),
  );
  ids.modelId = model.modelId;
  const released = await ok(
    call['model-registry']('POST', `/models/${ids.modelId}/versions`, { caller: people.vendorA, body: release('2.1.0') }),
  );
  ids.versionId = (Object.values(released.versions) as Array<{ versionId: string }>)[0]!.versionId;
  const noticed = await ok(
    call['model-registry']('POST', `/models/${ids.modelId}/safety-notices`, {
      caller: people.vendorA,
      body: { affectedVersionIds: [ids.versionId], severity: 'low', summary: 'Label typo.', requiredAction: 'None.' },
    }),
  );
  ids.noticeId = Object.keys(noticed.notices)[0]!;

  const deployment = await ok(
    call['deployment-approval']('POST', '/deployments', {
      caller: people.requesterA,
      body: {
        modelId: ids.modelId,
        versionId: ids.versionId,
        setting: { sites: ['ward-7a'], services: ['Acute medicine'], roles: ['staff-nurse'] },
        intendedUse: 'Sepsis early warning, advisory.',
      },
    }),
  );
  ids.deploymentId = deployment.deploymentId;
  const training = await ok(
    call['deployment-approval']('POST', '/training-records', {
      caller: people.adminA,
      body: {
        professionalId: 'psn_sw_nurse_0042',
        deploymentId: ids.deploymentId,
        course: 'SepsisWatch essentials',
        completedAt: new Date(Date.now() - 86_400_000).toISOString(),
      },
    }),
  );
  ids.trainingId = training.trainingId;

  ids.outputId = `out-${randomUUID()}`;
  // usage-events learns the deployment from deployment-approval's events: retry while it is in flight.
  await untilKnown(() => ok(call['usage-events']('POST', '/outputs', { caller: people.clinicalA, body: outputBody(ids.outputId, ids) })));
  const incident = await ok(
    call['usage-events']('POST', '/incidents', {
      caller: people.clinicalA,
      body: { outputIds: [ids.outputId], harmReference: 'LFPSE:W1', severity: 'moderate', occurredAt: new Date().toISOString() },
    }),
  );
  ids.incidentId = incident.incidentId;

  // A's clinical safety officer refers the incident to A's investigators: their mandate. The
  // ledger learns of the incident through Kafka, so retry while it does not know it yet.
  const referral = await eventually(
    () =>
      call.ledger('POST', '/mandates', {
        caller: people.approverA,
        body: {
          kind: 'incident-referral',
          investigatingOrganisationId: A.investigators,
          scope: { kind: 'incident', incidentId: ids.incidentId },
          reference: 'Referral W1',
        },
      }),
    (r) => r.status !== 404,
    // The first suite on a new cluster waits for consumer groups to form on every topic.
    60000,
    'the incident known to the ledger',
  );
  if (referral.status !== 201) throw new Error(`referral answered ${referral.status}: ${JSON.stringify(referral.body)}`);
  ids.mandateId = referral.body.mandateId;
  const opened = await ok(
    eventually(
      () => call.ledger('POST', '/cases', { caller: people.investigatorA, body: { title: 'Sepsis alert', outputIds: [ids.outputId] } }),
      (r) => r.status !== 404,
      60000,
      'the output known to the ledger',
    ),
  );
  ids.caseId = opened.caseId;
  // The concerns service learns the deployment from Kafka: retry while it is in flight.
  const concern = await untilKnown(() =>
    ok(
      call.concerns('POST', '/concerns', {
        caller: people.intakeA,
        body: concernBody({ kind: 'deployment', deploymentId: ids.deploymentId }),
      }),
    ),
  );
  ids.concernId = concern.concernId;
  return ids;
}

export { concernBody };

export function registerBody() {
  return {
    name: 'Another model',
    intendedPurpose: 'Testing mass assignment.',
    riskClass: 'uk-mdr-class-iia',
    manufacturerSafetyOfficer: 'psn_acme_cso_0001',
  };
}

export function release(version: string) {
  return {
    version,
    artifactDigest: `sha256:${randomUUID().replace(/-/g, '').padEnd(64, '0')}`,
    intendedUse: 'Adult acute medical wards; advisory.',
    contraindications: [{ code: 'acme:under-18', text: 'Patients under 18' }],
    intendedPopulation: { ageBands: ['18-39', '40-64', '65-79', '80-plus'], text: 'Adults on acute medical wards.' },
    knownLimitations: ['Lower sensitivity on beta blockers'],
    evidenceRefs: ['CER-2026-07'],
    hazardLogRef: 'ACME-HL-112',
    instructionsForUseVersion: 'IFU 2.1',
  };
}

export function outputBody(outputId: string, ids: { deploymentId: string; modelId: string; versionId: string }) {
  return {
    outputId,
    deploymentId: ids.deploymentId,
    modelId: ids.modelId,
    versionId: ids.versionId,
    subjectRef: 'psn_subj_7a_0193',
    site: 'ward-7a',
    summary: 'sepsis risk: high',
    outputDigest: `sha256:${randomUUID().replace(/-/g, '').padEnd(64, '0')}`,
    occurredAt: new Date().toISOString(),
  };
}
