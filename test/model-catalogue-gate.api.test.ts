import { EventPublisher, type KafkaSettings } from '@aal/kafka';
import {
  actors,
  asKafkaMessage,
  createTestDatabase,
  createTestKafka,
  eventually,
  forgerUnderKidOf,
  httpClient,
  makeEvent,
  startApp,
  testProducerConfig,
  type RunningApp,
  type TestDatabase,
} from '@aal/testing';
import { approvedScope, sepsisWatchPopulation } from '@aal/testing/unit';
import { randomUUID } from 'node:crypto';
import { AppModule as DeploymentApproval } from '../apps/deployment-approval/src/app.module';
import { DEPLOYMENT_APPROVAL_SCHEMA } from '../apps/deployment-approval/src/database/deployment-approval.schema';
import { AppModule as ModelRegistry } from '../apps/model-registry/src/app.module';
import { MODEL_REGISTRY_SCHEMA } from '../apps/model-registry/src/database/model-registry.schema';

const vendor = { organisationId: 'acme-ai', personId: 'psn_vendoradmin01', role: 'vendor-admin' };
const requester = { organisationId: 'st-swithins', personId: 'psn_digitallead01', role: 'employer-requester' };
const safetyOfficer = { organisationId: 'st-swithins', personId: 'psn_safetyofficer1', role: 'employer-approver' };
const operator = { organisationId: 'st-swithins', personId: 'psn_opsmanager001', role: 'employer-admin' };

const release = (version: string) => ({
  version,
  artifactDigest: `sha256:${version.replace(/\./g, '').padEnd(64, 'a')}`,
  intendedUse: 'Adult general wards; advisory only.',
  ...sepsisWatchPopulation,
  knownLimitations: [],
  evidenceRefs: [],
});
const approval = {
  conditions: ['Advisory use only'],
  hazardLogRef: 'HL-2025-014',
  reviewDate: '2099-01-31',
  scope: approvedScope({ sites: ['north-ward'], services: ['Acute medicine'], roles: ['staff-nurse'] }),
};

/**
 * model-registry and deployment-approval, each with its own schema, connected only through Kafka:
 * what the vendor says about a version (released, withdrawn, under a critical notice, resolved)
 * reaches deployment-approval's catalogue and decides whether the version may be put into use.
 */
describe('deployment-approval learns model facts from model-registry through Kafka', () => {
  let db: TestDatabase;
  const apps: RunningApp[] = [];
  let registry: ReturnType<typeof httpClient>;
  let approvals: ReturnType<typeof httpClient>;
  let kafkaSettings: KafkaSettings;
  let kafka: Awaited<ReturnType<typeof createTestKafka>>['kafka'];

  beforeAll(async () => {
    db = await createTestDatabase([MODEL_REGISTRY_SCHEMA, DEPLOYMENT_APPROVAL_SCHEMA]);
    const created = await createTestKafka('catalogue-gate');
    const { settings } = created;
    kafkaSettings = settings;
    kafka = created.kafka;
    const config = (service: 'model-registry' | 'deployment-approval') =>
      testProducerConfig(service, { database: db.settings, kafka: settings });
    apps.push(await startApp(ModelRegistry.register(config('model-registry')), 'model-registry'));
    apps.push(await startApp(DeploymentApproval.register(config('deployment-approval')), 'deployment-approval'));
    registry = httpClient(apps[0]!.baseUrl);
    approvals = httpClient(apps[1]!.baseUrl);
  });

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await db?.drop();
  });

  const catalogued = (versionId: string, done: (body: any) => boolean = () => true, what = 'the version') =>
    eventually(
      () => approvals('GET', `/model-catalogue/versions/${versionId}`, { caller: requester }),
      (res) => res.status === 200 && done(res.body),
      60000,
      `deployment-approval's catalogue to show ${what}`,
    );

  async function requestDeployment(modelId: string, versionId: string): Promise<string> {
    const res = await approvals('POST', '/deployments', {
      body: {
        modelId,
        versionId,
        setting: { sites: ['north-ward'], services: ['Acute medicine'], roles: ['staff-nurse'] },
        intendedUse: 'Sepsis early warning.',
      },
      caller: requester,
    });
    expect(res.status).toBe(201);
    return res.body.deploymentId;
  }

  /** A model the vendor registers: the body of model-registry's answer. */
  const registerModel = async () =>
    (
      await registry('POST', '/models', {
        body: {
          name: 'SepsisWatch',
          intendedPurpose: 'Early warning of sepsis.',
          riskClass: 'uk-mdr-class-iia',
          manufacturerSafetyOfficer: 'psn_acmecso00001',
        },
        caller: vendor,
      })
    ).body;

  const approve = (id: string) => approvals('POST', `/deployments/${id}/approval`, { body: approval, caller: safetyOfficer });
  const activate = (id: string) =>
    approvals('POST', `/deployments/${id}/activation`, { body: { sites: ['north-ward'] }, caller: operator });

  it('released → approvable; withdrawn → refused; critical notice → refused until resolved', async () => {
    const model = await registerModel();
    const v1 = Object.keys(
      (await registry('POST', `/models/${model.modelId}/versions`, { body: release('2.1.0'), caller: vendor })).body.versions,
    )[0]!;

    // A version the catalogue does not know: refused, with a hint that events may still be on the way.
    const unknownModel = await requestDeployment('5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716', v1);
    await catalogued(v1);
    const wrongModel = await approve(unknownModel);
    expect(wrongModel.status).toBe(422);
    expect(wrongModel.body).toMatchObject({ code: 'DEPLOYMENT.UNKNOWN_VERSION', versionId: v1 });
    expect(wrongModel.body.detail).toContain('not arrived');

    // Released: approval and activation work.
    const live = await requestDeployment(model.modelId, v1);
    const waiting = await requestDeployment(model.modelId, v1);
    const approvedOnly = await requestDeployment(model.modelId, v1);
    expect((await approve(live)).status).toBe(201);
    expect((await activate(live)).status).toBe(201);
    expect((await approve(approvedOnly)).status).toBe(201);

    // Withdrawn: neither a new approval nor an activation.
    const withdrawal = await registry('POST', `/models/${model.modelId}/versions/${v1}/withdrawal`, {
      body: { reason: 'Superseded by 2.2.0.' },
      caller: vendor,
    });
    expect(withdrawal.status).toBe(201);
    await catalogued(v1, (v) => v.status === 'withdrawn', 'the withdrawal');
    const refusedApproval = await approve(waiting);
    expect(refusedApproval.status).toBe(422);
    expect(refusedApproval.headers.get('content-type')).toContain('application/problem+json');
    expect(refusedApproval.body).toMatchObject({ code: 'DEPLOYMENT.VERSION_WITHDRAWN', status: 422, versionId: v1 });
    const refusedActivation = await activate(approvedOnly);
    expect(refusedActivation.status).toBe(422);
    expect(refusedActivation.body.code).toBe('DEPLOYMENT.VERSION_WITHDRAWN');
    // Taking a withdrawn version out of use stays possible.
    expect(
      (await approvals('POST', `/deployments/${live}/suspension`, { body: { reason: 'Version withdrawn.' }, caller: safetyOfficer }))
        .status,
    ).toBe(201);
    const reinstate = await approvals('POST', `/deployments/${live}/reinstatement`, {
      body: { reason: 'Try again.' },
      caller: safetyOfficer,
    });
    expect(reinstate.status).toBe(422);
    expect(reinstate.body.code).toBe('DEPLOYMENT.VERSION_WITHDRAWN');

    // A critical notice on a released version: refused, naming the notice, until it is resolved.
    const v2 = Object.keys(
      (await registry('POST', `/models/${model.modelId}/versions`, { body: release('2.2.0'), caller: vendor })).body.versions,
    ).find((id) => id !== v1)!;
    const next = await requestDeployment(model.modelId, v2);
    const notice = await registry('POST', `/models/${model.modelId}/safety-notices`, {
      body: {
        affectedVersionIds: [v2],
        severity: 'critical',
        summary: 'Missed sepsis in renal patients.',
        requiredAction: 'Do not deploy.',
      },
      caller: vendor,
    });
    expect(notice.status).toBe(201);
    const noticeId = Object.keys(notice.body.notices)[0]!;
    await catalogued(v2, (v) => v.safetyNotices.some((n: any) => n.noticeId === noticeId), 'the critical notice');
    const underNotice = await approve(next);
    expect(underNotice.status).toBe(422);
    expect(underNotice.body).toMatchObject({ code: 'DEPLOYMENT.UNDER_CRITICAL_NOTICE', noticeId, versionId: v2 });
    expect(underNotice.body.detail).toContain(noticeId);

    const resolution = await registry('POST', `/models/${model.modelId}/safety-notices/${noticeId}/resolution`, {
      body: { resolution: 'Renal cohort retrained and revalidated.' },
      caller: vendor,
    });
    expect(resolution.status).toBe(201);
    await catalogued(v2, (v) => v.safetyNotices.every((n: any) => n.resolvedAt !== null), 'the resolution');
    expect((await approve(next)).status).toBe(201);
    expect((await activate(next)).status).toBe(201);

    const ready = await approvals('GET', '/health/ready');
    expect(ready.body.checks).toEqual(expect.arrayContaining([{ name: 'model-catalogue', ok: true }]));
  });

  it('applies only what model-registry signed: a release forged under its real key id, straight onto Kafka, never becomes approvable', async () => {
    const model = await registerModel();
    const forgedVersionId = randomUUID();
    const forged = makeEvent(
      'model.version.released',
      {
        modelId: model.modelId,
        versionId: forgedVersionId,
        vendorId: vendor.organisationId,
        ...release('9.9.9'),
        actor: actors.vendorAdmin,
      },
      { source: '/aal/model-registry/test' },
    );
    const publisher = new EventPublisher(kafka);
    try {
      await publisher.publish([asKafkaMessage(forged, kafkaSettings.topicPrefix, { signingKey: forgerUnderKidOf('model-registry') })]);
    } finally {
      await publisher.disconnect();
    }
    // A genuine release of the same model comes after the forgery on the same partition: once the
    // catalogue has it, the forgery was read too.
    const genuine = await registry('POST', `/models/${model.modelId}/versions`, { body: release('2.1.0'), caller: vendor });
    const genuineId = Object.keys(genuine.body.versions)[0]!;
    await catalogued(genuineId);

    expect((await approvals('GET', `/model-catalogue/versions/${forgedVersionId}`, { caller: requester })).status).toBe(404);
    const onForgery = await requestDeployment(model.modelId, forgedVersionId);
    const refused = await approve(onForgery);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'DEPLOYMENT.UNKNOWN_VERSION', versionId: forgedVersionId });
    const metrics = await fetch(`${apps[1]!.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(
      /^projection_messages_skipped_total\{(?=[^}]*projection="model-catalogue")(?=[^}]*code="EVENT.SIGNATURE_INVALID")[^}]*\} 1$/m,
    );
    expect((await approve(await requestDeployment(model.modelId, genuineId))).status).toBe(201);
  });
});
