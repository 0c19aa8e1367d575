import { subjectOf, validateEvent } from '@aal/contracts';
import { startProducer, type RunningProducer } from '@aal/testing';
import { AppModule } from '../../app.module';
import { DEPLOYMENT_APPROVAL_SCHEMA } from '../../database/deployment-approval.schema';

const requester = { organisationId: 'st-swithins', personId: 'psn_digitallead01', role: 'employer-requester' };
const wardManager = { organisationId: 'st-swithins', personId: 'psn_wardmanager01', role: 'employer-admin' };
const otherTrust = { organisationId: 'other-trust', personId: 'psn_othertrustmgr', role: 'employer-admin' };

const training = (deploymentId: string, over: object = {}) => ({
  professionalId: 'psn_staffnurse0001',
  deploymentId,
  course: 'SepsisWatch for ward nurses, module 1',
  completedAt: '2025-01-20T14:00:00.000Z',
  expiresAt: '2026-01-20T14:00:00.000Z',
  ...over,
});

describe('deployment-approval API: training records', () => {
  let service: RunningProducer;
  let call: RunningProducer['call'];
  let deploymentId: string;

  beforeAll(async () => {
    service = await startProducer('deployment-approval', DEPLOYMENT_APPROVAL_SCHEMA, (config) => AppModule.register(config));
    call = service.call;
    const created = await call('POST', '/deployments', {
      body: {
        modelId: '0f5d2d51-2c43-4a8e-bb2f-6b1e9e7c3d20',
        versionId: '9a1c2e37-7d4b-4f1a-8c55-0e2b3f4a5b61',
        setting: { sites: ['north-ward'], services: ['Acute medicine'], roles: ['staff-nurse'] },
        intendedUse: 'Early warning of sepsis in adult inpatients; advisory only.',
      },
      caller: requester,
    });
    expect(created.status).toBe(201);
    deploymentId = created.body.deploymentId;
  });

  afterAll(async () => {
    await service?.close();
  });

  it('records training for a deployment, publishing a valid training.recorded event', async () => {
    const res = await call('POST', '/training-records', { body: training(deploymentId), caller: wardManager });
    expect(res.status).toBe(201);
    const trainingId = res.body.trainingId as string;
    expect(trainingId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toMatchObject({
      ...training(deploymentId),
      trainingId,
      employerId: 'st-swithins',
      recordedBy: wardManager,
      revision: 1,
    });
    expect((await call('GET', `/training-records/${trainingId}`, { caller: wardManager })).body).toMatchObject({
      trainingId,
      history: [{ type: 'aal.training.recorded.v1' }],
    });
    // Another organisation cannot read it.
    const foreignRead = await call('GET', `/training-records/${trainingId}`, { caller: otherTrust });
    expect(foreignRead.status).toBe(403);
    expect(foreignRead.body).toMatchObject({ code: 'AUTH.OTHER_ORGANISATION', status: 403 });
    expect(foreignRead.body.history).toBeUndefined();

    // The topic holds the deployment request first, then this record (keys differ, so find it by key).
    const messages = await service.readEvents(2);
    const message = messages.find((m) => m.key === subjectOf('training', trainingId));
    expect(message).toBeDefined();
    expect(validateEvent(message!.event)).toEqual([]);
    expect(message!.event).toMatchObject({
      type: 'aal.training.recorded.v1',
      subject: subjectOf('training', trainingId),
      data: { actor: wardManager, deploymentId },
    });
  });

  it('lists training records by professional and by deployment', async () => {
    const a = await call('POST', '/training-records', {
      body: training(deploymentId, { professionalId: 'psn_registrar00001', course: 'Module 1' }),
      caller: wardManager,
    });
    const b = await call('POST', '/training-records', {
      body: training(deploymentId, { professionalId: 'psn_registrar00001', course: 'Module 2' }),
      caller: wardManager,
    });
    await call('POST', '/training-records', { body: training(deploymentId, { professionalId: 'psn_physio0000001' }), caller: wardManager });

    const byProfessional = await call('GET', '/training-records?professionalId=psn_registrar00001', { caller: wardManager });
    expect(byProfessional.status).toBe(200);
    expect(byProfessional.body).toMatchObject({ limit: 50, offset: 0 });
    expect(byProfessional.body.items.map((t: { trainingId: string }) => t.trainingId)).toEqual([a.body.trainingId, b.body.trainingId]);
    expect(byProfessional.body.items[0]).toMatchObject({ course: 'Module 1', revision: 1 });

    const paged = await call('GET', '/training-records?professionalId=psn_registrar00001&limit=1&offset=1', { caller: wardManager });
    expect(paged.body.items.map((t: { course: string }) => t.course)).toEqual(['Module 2']);
    const byDeployment = await call('GET', `/training-records?deploymentId=${deploymentId}&limit=100`, { caller: wardManager });
    expect(byDeployment.body.items.length).toBeGreaterThanOrEqual(3);
    expect((await call('GET', '/training-records?professionalId=psn_nobody0000001', { caller: wardManager })).body.items).toEqual([]);
    expect((await call('GET', '/training-records?professionalId=9434765919', { caller: wardManager })).status).toBe(400);

    // Lists without an employer filter show only the caller's organisation; another's cannot be asked for.
    const foreignList = await call('GET', '/training-records?professionalId=psn_registrar00001', { caller: otherTrust });
    expect(foreignList.status).toBe(200);
    expect(foreignList.body.items).toEqual([]);
    const foreignFilter = await call('GET', '/training-records?employerId=st-swithins', { caller: otherTrust });
    expect(foreignFilter.status).toBe(403);
    expect(foreignFilter.body.code).toBe('AUTH.OTHER_ORGANISATION');
  });

  it('refuses training that expires before it was completed', async () => {
    const res = await call('POST', '/training-records', {
      body: training(deploymentId, { expiresAt: '2025-01-20T13:59:59.000Z' }),
      caller: wardManager,
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      code: 'TRAINING.EXPIRES_BEFORE_COMPLETION',
      completedAt: '2025-01-20T14:00:00.000Z',
      expiresAt: '2025-01-20T13:59:59.000Z',
    });
  });

  it("refuses training for an unknown deployment or another organisation's deployment", async () => {
    const unknown = await call('POST', '/training-records', {
      body: training('00000000-0000-4000-8000-000000000000'),
      caller: wardManager,
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('TRAINING.UNKNOWN_DEPLOYMENT');
    const foreign = await call('POST', '/training-records', { body: training(deploymentId), caller: otherTrust });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('TRAINING.FOREIGN_DEPLOYMENT');
  });

  it('answers bad input with 400 naming each field: no real identifiers, no actor in the body', async () => {
    const res = await call('POST', '/training-records', {
      body: { ...training(deploymentId), professionalId: '9434765919', completedAt: 'yesterday', actor: otherTrust },
      caller: wardManager,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(
      expect.arrayContaining(['/professionalId', '/completedAt', '/actor']),
    );
    expect((await call('GET', '/training-records/00000000-0000-4000-8000-000000000000', { caller: wardManager })).body.code).toBe(
      'TRAINING.NOT_FOUND',
    );
  });
});
