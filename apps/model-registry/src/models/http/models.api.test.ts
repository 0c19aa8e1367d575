import { validateEvent } from '@aal/contracts';
import { startProducer, type RunningProducer } from '@aal/testing';
import { AppModule } from '../../app.module';
import { MODEL_REGISTRY_SCHEMA } from '../../database/model-registry.schema';

const vendor = { organisationId: 'acme-ai', personId: 'psn_vendoradmin01', role: 'vendor-admin' };
const otherVendor = { organisationId: 'other-ai', personId: 'psn_othervendor1', role: 'vendor-admin' };

const registration = {
  name: 'SepsisWatch',
  intendedPurpose: 'Early warning of sepsis in adult inpatients from vital signs.',
  riskClass: 'uk-mdr-class-iia',
  manufacturerSafetyOfficer: 'psn_acmecso00001',
};
const release = {
  version: '2.1.0',
  artifactDigest: `sha256:${'a'.repeat(64)}`,
  intendedUse: 'Adult general wards; advisory only.',
  contraindications: ['Paediatric patients'],
  knownLimitations: ['Lower sensitivity in patients on beta blockers'],
  evidenceRefs: ['doi:10.1000/sepsiswatch-validation'],
};

describe('model-registry API', () => {
  let service: RunningProducer;
  let call: RunningProducer['call'];

  beforeAll(async () => {
    service = await startProducer('model-registry', MODEL_REGISTRY_SCHEMA, (config) => AppModule.register(config));
    call = service.call;
  });

  afterAll(async () => {
    await service?.close();
  });

  it('registers a model and releases a version, publishing valid CloudEvents in order', async () => {
    const registered = await call('POST', '/models', { body: registration, caller: vendor });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ status: 'registered', vendorId: 'acme-ai', name: 'SepsisWatch' });
    const modelId = registered.body.modelId as string;

    const released = await call('POST', `/models/${modelId}/versions`, { body: release, caller: vendor });
    expect(released.status).toBe(201);
    expect(Object.values(released.body.versions)).toEqual([expect.objectContaining({ version: '2.1.0', status: 'released' })]);

    const messages = await service.readEvents(2);
    const decoded = messages.map((m) => m.event);
    expect(decoded.map((e) => e.type)).toEqual(['aal.model.registered.v1', 'aal.model.version.released.v1']);
    expect(decoded.every((e) => validateEvent(e).length === 0)).toBe(true);
    expect(messages.map((m) => m.key)).toEqual([`model/${modelId}`, `model/${modelId}`]);
    expect(decoded[0]!.data).toMatchObject({ actor: vendor, vendorId: 'acme-ai' });
  });

  it('refuses to re-release a version number: a correction must be a new version', async () => {
    const { body } = await call('POST', '/models', { body: registration, caller: vendor });
    expect((await call('POST', `/models/${body.modelId}/versions`, { body: release, caller: vendor })).status).toBe(201);
    const again = await call('POST', `/models/${body.modelId}/versions`, { body: { ...release, artifactDigest: `sha256:${'b'.repeat(64)}` }, caller: vendor });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.body).toMatchObject({ code: 'MODEL.VERSION_EXISTS', status: 409 });
  });

  it("refuses changes to another vendor's model", async () => {
    const { body } = await call('POST', '/models', { body: registration, caller: vendor });
    const res = await call('POST', `/models/${body.modelId}/versions`, { body: release, caller: otherVendor });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('MODEL.NOT_OWNER');
  });

  it('answers bad input with RFC 9457 problem details naming each field and rule, storing nothing', async () => {
    const before = await call('GET', '/models?vendorId=acme-ai&limit=100', { caller: vendor });
    const res = await call('POST', '/models', {
      body: { ...registration, riskClass: 'class-z', manufacturerSafetyOfficer: '9434765919', surprise: true },
      caller: vendor,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: 'urn:aal:problem:request.invalid', title: 'Bad Request', status: 400, code: 'REQUEST.INVALID', instance: '/models' });
    expect(res.body.correlationId).toEqual(expect.any(String));
    const pointers = res.body.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/riskClass', '/manufacturerSafetyOfficer', '/surprise']));
    const after = await call('GET', '/models?vendorId=acme-ai&limit=100', { caller: vendor });
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('answers malformed JSON, oversize bodies, unknown routes and missing identity with problems', async () => {
    const malformed = await call('POST', '/models', { raw: '{"name":', caller: vendor });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('REQUEST.MALFORMED_JSON');
    const huge = await call('POST', '/models', { raw: JSON.stringify({ ...registration, intendedPurpose: 'x'.repeat(2_000_000) }), caller: vendor });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('REQUEST.TOO_LARGE');
    const missing = await call('GET', '/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const anonymous = await call('POST', '/models', { body: registration });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('reports readiness of PostgreSQL and Kafka', async () => {
    const res = await call('GET', '/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual([
      { name: 'postgresql', ok: true },
      { name: 'kafka', ok: true },
    ]);
  });
});
