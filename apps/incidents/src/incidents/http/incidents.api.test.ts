import { subjectOf } from '@aal/contracts';
import { readTopic } from '@aal/kafka';
import { authenticateEvent, examineEvent } from '@aal/ledger-core';
import { testEventKeySet } from '@aal/testing';
import { randomUUID } from 'node:crypto';
import {
  classifyBody,
  deployerId,
  knownDeployment,
  people,
  startIncidents,
  vendorId,
  type RunningIncidents,
} from '../../testing/incidents-app';

describe('incidents: classification, the notice to the provider and reports to authorities over HTTP, through the outbox to Kafka', () => {
  let app: RunningIncidents;
  let target: { modelId: string; versionId: string; deploymentId: string };
  beforeAll(async () => {
    app = await startIncidents();
    target = await knownDeployment(app);
  });
  afterAll(async () => {
    await app?.close();
  });
  const classify = (caller = people.deployerCso, body: unknown = classifyBody(target.deploymentId)) =>
    app.call('POST', '/incidents', { caller, body });

  it('classifies an incident for its deployer, resolving the provider and recording the notice hours, and publishes a signed incident.classified', async () => {
    const incidentId = randomUUID();
    const awareAt = '2026-11-02T09:00:00+01:00';
    const res = await classify(people.deployerCso, classifyBody(target.deploymentId, { incidentId, awareAt, outputIds: ['out-7a-0001'] }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'classified',
      incidentId,
      about: { deploymentId: target.deploymentId, deployerId, modelId: target.modelId, versionId: target.versionId, vendorId },
      classification: 'serious-harm-to-health',
      publicHealthThreat: false,
      awareAt,
      informProviderWithinHours: 24,
      outputIds: ['out-7a-0001'],
      classifiedBy: people.deployerCso,
    });

    const messages = await readTopic(app.kafka, app.topic, 2);
    const admitted = await Promise.all(
      messages.map((m) => authenticateEvent(examineEvent(m, 'incidents', testEventKeySet()), testEventKeySet())),
    );
    expect(admitted.map((d) => d.kind)).toEqual(['accept', 'accept']);
    const ours = admitted.find((d) => d.kind === 'accept' && (d.event.data as { incidentId: string }).incidentId === incidentId);
    expect(ours).toMatchObject({
      event: { type: 'aal.incident.classified.v1', subject: subjectOf('incident', incidentId) },
      emitter: 'incidents',
    });
  });

  it('records the deployer’s notice, the provider’s awareness and one report per authority, each by its own party', async () => {
    const { incidentId } = (await classify()).body;
    const path = `/incidents/${incidentId}`;
    const notice = await app.call('POST', `${path}/provider-notices`, { caller: people.deployerCso, body: { reference: 'SW-INC-118' } });
    expect(notice.status).toBe(201);
    expect(notice.body.providerInformed).toMatchObject({ reference: 'SW-INC-118', by: people.deployerCso });
    expect(notice.body.providerInformed.madeAt).toBe(notice.body.providerInformed.recordedAt);

    const aware = await app.call('POST', `${path}/provider-awareness`, {
      caller: people.vendorSafety,
      body: { awareAt: notice.body.providerInformed.madeAt },
    });
    expect(aware.status).toBe(201);
    const madeAt = new Date(Date.now() - 60_000).toISOString();
    const eu = await app.call('POST', `${path}/authority-reports`, {
      caller: people.vendorSafety,
      body: { authority: 'eu-market-surveillance-authority', madeAt, reference: 'MSA-IE 2026/0042' },
    });
    expect(eu.status).toBe(201);
    const mhra = await app.call('POST', `${path}/authority-reports`, {
      caller: people.vendorSafety,
      body: { authority: 'uk-mhra', reference: 'MORE 2026/004711' },
    });
    expect(mhra.body.authorityReports).toEqual([
      expect.objectContaining({
        authority: 'eu-market-surveillance-authority',
        madeAt,
        reference: 'MSA-IE 2026/0042',
        by: people.vendorSafety,
      }),
      expect.objectContaining({ authority: 'uk-mhra', reference: 'MORE 2026/004711' }),
    ]);
    expect(mhra.body.history.map((h: { type: string }) => h.type)).toEqual([
      'aal.incident.classified.v1',
      'aal.incident.provider-informed.v1',
      'aal.incident.provider-aware.v1',
      'aal.incident.authority-reported.v1',
      'aal.incident.authority-reported.v1',
    ]);

    const again = await app.call('POST', `${path}/authority-reports`, {
      caller: people.vendorSafety,
      body: { authority: 'uk-mhra', reference: 'MORE 2026/004712' },
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'INCIDENT.ALREADY_RECORDED' } });
  });

  it('refuses each party the other’s records, other organisations, and roles that do not act on incidents', async () => {
    const { incidentId } = (await classify()).body;
    const path = `/incidents/${incidentId}`;
    expect(
      (
        await app.call('POST', `${path}/provider-notices`, {
          caller: { ...people.vendorSafety, role: 'employer-admin' },
          body: { reference: 'x-1' },
        })
      ).body,
    ).toMatchObject({
      status: 403,
      code: 'INCIDENT.NOT_THE_DEPLOYER',
    });
    expect(
      (
        await app.call('POST', `${path}/provider-awareness`, {
          caller: { ...people.deployerCso, role: 'vendor-safety-officer' },
          body: { awareAt: new Date().toISOString() },
        })
      ).body,
    ).toMatchObject({
      code: 'INCIDENT.NOT_THE_PROVIDER',
    });
    expect((await classify(people.outsider)).body).toMatchObject({ status: 403, code: 'INCIDENT.NOT_THE_DEPLOYER' });
    expect((await classify(people.clinicalSystem)).status).toBe(403);
    expect((await app.call('GET', path, { caller: people.auditor })).status).toBe(200);
    expect((await app.call('GET', path, { caller: { ...people.auditor, organisationId: 'other-hospital' } })).body).toMatchObject({
      code: 'AUTH.OTHER_ORGANISATION',
    });
  });

  it('answers bad input with problem details naming the field, and stores nothing', async () => {
    const bad = await classify(people.deployerCso, classifyBody(target.deploymentId, { classification: 'catastrophic' }));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(bad.body)).toContain('/classification');
    const future = await classify(
      people.deployerCso,
      classifyBody(target.deploymentId, { awareAt: new Date(Date.now() + 3_600_000).toISOString() }),
    );
    expect(future.body).toMatchObject({ status: 400, code: 'INCIDENT.TIME_IN_FUTURE' });
    const identifier = await classify(people.deployerCso, classifyBody(target.deploymentId, { harmReference: 'NHS 943 476 5919' }));
    expect(identifier.body).toMatchObject({ status: 400, code: 'INCIDENT.IDENTIFIER_IN_TEXT' });
    expect(JSON.stringify(identifier.body)).not.toContain('5919');
    const unknown = await classify(people.deployerCso, classifyBody(randomUUID()));
    expect(unknown.body).toMatchObject({ status: 422, code: 'INCIDENT.UNKNOWN_DEPLOYMENT' });
    expect((await app.call('GET', `/incidents/${randomUUID()}`, { caller: people.auditor })).body).toMatchObject({
      status: 404,
      code: 'INCIDENT.NOT_FOUND',
    });
  });
});
