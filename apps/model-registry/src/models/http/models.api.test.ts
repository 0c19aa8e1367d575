import { subjectOf, validateEvent } from '@aal/contracts';
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
  contraindications: [{ code: 'acme:under-18', text: 'Paediatric patients' }],
  intendedPopulation: { ageBands: ['18-39', '40-64', '65-79', '80-plus'], text: 'Adult inpatients.' },
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
    expect(decoded.map((e) => e.type)).toEqual(['aal.model.registered.v1', 'aal.model.version.released.v2']);
    expect(decoded.every((e) => validateEvent(e).length === 0)).toBe(true);
    expect(messages.map((m) => m.key)).toEqual([subjectOf('model', modelId), subjectOf('model', modelId)]);
    expect(decoded[0]!.data).toMatchObject({ actor: vendor, vendorId: 'acme-ai' });
    expect(decoded[1]!.data).toMatchObject({
      contraindications: release.contraindications,
      intendedPopulation: release.intendedPopulation,
    });
  });

  it('refuses contraindications as bare strings (the form before v2) with 400 saying what to send instead, storing nothing', async () => {
    const { body } = await call('POST', '/models', { body: registration, caller: vendor });
    const res = await call('POST', `/models/${body.modelId}/versions`, {
      body: { ...release, contraindications: [release.contraindications[0], 'Pregnancy'] },
      caller: vendor,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'REQUEST.INVALID',
      errors: [{ pointer: '/contraindications/1', rule: 'coded-contraindication' }],
    });
    expect(res.body.errors[0].detail).toContain('{"code": "<system>:<code>", "text": "<wording>"}');
    const missing = await call('POST', `/models/${body.modelId}/versions`, {
      body: { ...release, intendedPopulation: undefined },
      caller: vendor,
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/intendedPopulation']);
    const twice = await call('POST', `/models/${body.modelId}/versions`, {
      body: { ...release, contraindications: [...release.contraindications, { code: 'acme:under-18', text: 'Children' }] },
      caller: vendor,
    });
    expect(twice.status).toBe(422);
    expect(twice.body).toMatchObject({ code: 'MODEL.REPEATED_CONTRAINDICATION_CODE', errors: [{ pointer: '/contraindications/1/code' }] });
    expect((await call('GET', `/models/${body.modelId}`, { caller: vendor })).body.versions).toEqual({});
  });

  it('refuses to re-release a version number: a correction must be a new version', async () => {
    const { body } = await call('POST', '/models', { body: registration, caller: vendor });
    expect((await call('POST', `/models/${body.modelId}/versions`, { body: release, caller: vendor })).status).toBe(201);
    const again = await call('POST', `/models/${body.modelId}/versions`, {
      body: { ...release, artifactDigest: `sha256:${'b'.repeat(64)}` },
      caller: vendor,
    });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.body).toMatchObject({ code: 'MODEL.VERSION_EXISTS', status: 409 });
  });

  it('resolves a safety notice once, by its vendor only, publishing a valid model.safety-notice.resolved event', async () => {
    const { body: model } = await call('POST', '/models', { body: registration, caller: vendor });
    const released = await call('POST', `/models/${model.modelId}/versions`, { body: release, caller: vendor });
    const versionId = Object.keys(released.body.versions)[0]!;
    const issued = await call('POST', `/models/${model.modelId}/safety-notices`, {
      body: {
        affectedVersionIds: [versionId],
        severity: 'critical',
        summary: 'Under-triage on beta blockers.',
        requiredAction: 'Stop using 2.1.0.',
      },
      caller: vendor,
    });
    expect(issued.status).toBe(201);
    const noticeId = Object.keys(issued.body.notices)[0]!;
    expect(issued.body.notices[noticeId]).toMatchObject({ severity: 'critical', resolved: false });
    const path = `/models/${model.modelId}/safety-notices/${noticeId}/resolution`;
    const resolution = { resolution: 'Fixed in 2.2.0; 2.1.0 is withdrawn.' };

    const byOther = await call('POST', path, { body: resolution, caller: otherVendor });
    expect(byOther.status).toBe(403);
    expect(byOther.body.code).toBe('MODEL.NOT_OWNER');
    const unknown = await call('POST', `/models/${model.modelId}/safety-notices/${versionId}/resolution`, {
      body: resolution,
      caller: vendor,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'MODEL.NOTICE_NOT_FOUND', noticeId: versionId });
    const invalid = await call('POST', path, { body: { resolution: '', extra: 1 }, caller: vendor });
    expect(invalid.status).toBe(400);

    const resolved = await call('POST', path, { body: resolution, caller: vendor });
    expect(resolved.status).toBe(201);
    expect(resolved.body.notices[noticeId]).toMatchObject({ severity: 'critical', resolved: true });
    const again = await call('POST', path, { body: resolution, caller: vendor });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('MODEL.NOTICE_ALREADY_RESOLVED');

    const history = (await call('GET', `/models/${model.modelId}`, { caller: vendor })).body.history as Array<{ type: string }>;
    expect(history.map((h) => h.type)).toEqual([
      'aal.model.registered.v1',
      'aal.model.version.released.v2',
      'aal.model.safety-notice.issued.v1',
      'aal.model.safety-notice.resolved.v1',
    ]);
    // The tests before this one published five events; this one four more.
    const published = (await service.readEvents(9)).filter((m) => m.event.type === 'aal.model.safety-notice.resolved.v1');
    expect(published).toHaveLength(1);
    expect(validateEvent(published[0]!.event)).toEqual([]);
    expect(published[0]!).toMatchObject({
      key: subjectOf('model', model.modelId),
      event: {
        subject: subjectOf('model', model.modelId),
        data: { noticeId, modelId: model.modelId, vendorId: 'acme-ai', ...resolution, actor: vendor },
      },
    });
  });

  it("refuses changes to another vendor's model", async () => {
    const { body } = await call('POST', '/models', { body: registration, caller: vendor });
    const res = await call('POST', `/models/${body.modelId}/versions`, { body: release, caller: otherVendor });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('MODEL.NOT_OWNER');
  });

  it("shows every party the catalogue facts, but the event history (the vendor's staff) only to the vendor", async () => {
    const { body } = await call('POST', '/models', { body: registration, caller: vendor });
    const own = await call('GET', `/models/${body.modelId}`, { caller: vendor });
    expect(own.body.history).toEqual([expect.objectContaining({ type: 'aal.model.registered.v1' })]);
    const employer = { organisationId: 'st-swithins', personId: 'psn_requester001', role: 'employer-requester' };
    const seen = await call('GET', `/models/${body.modelId}`, { caller: employer });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ modelId: body.modelId, vendorId: 'acme-ai', name: registration.name });
    expect(seen.body).not.toHaveProperty('history');
    expect(JSON.stringify(seen.body)).not.toContain(vendor.personId);
  });

  it('answers bad input with RFC 9457 problem details naming each field and rule, storing nothing', async () => {
    const before = await call('GET', '/models?vendorId=acme-ai&limit=100', { caller: vendor });
    const res = await call('POST', '/models', {
      body: { ...registration, riskClass: 'class-z', manufacturerSafetyOfficer: '9434765919', surprise: true },
      caller: vendor,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      type: 'urn:aal:problem:request.invalid',
      title: 'Bad Request',
      status: 400,
      code: 'REQUEST.INVALID',
      instance: '/models',
    });
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
    const huge = await call('POST', '/models', {
      raw: JSON.stringify({ ...registration, intendedPurpose: 'x'.repeat(2_000_000) }),
      caller: vendor,
    });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('REQUEST.TOO_LARGE');
    const missing = await call('GET', '/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const anonymous = await call('POST', '/models', { body: registration });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    expect(anonymous.body.code).toBe('AUTH.TOKEN_REQUIRED');
  });

  it('reports readiness of PostgreSQL and Kafka', async () => {
    const res = await call('GET', '/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual([
      { name: 'postgresql', ok: true },
      { name: 'kafka', ok: true },
    ]);
  });

  it('documents its API in OpenAPI, with request schemas from the event contracts', async () => {
    const doc: any = await (await fetch(`${service.baseUrl}/docs/openapi.json`)).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/models',
        '/models/{modelId}',
        '/models/{modelId}/versions',
        '/models/{modelId}/safety-notices',
        '/models/{modelId}/versions/{versionId}/withdrawal',
      ]),
    );
    const body = doc.paths['/models'].post.requestBody.content['application/json'].schema;
    expect(body.properties.riskClass).toBeDefined();
    expect(body.additionalProperties).toBe(false);
    expect((await fetch(`${service.baseUrl}/docs`)).status).toBe(200);
  });

  it('exposes Prometheus metrics: requests by route, outbox published and backlog', async () => {
    await call('POST', '/models', { body: registration, caller: vendor });
    const res = await fetch(`${service.baseUrl}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/http_requests_total\{[^}]*method="POST",route="\/models",status="201"[^}]*\} [1-9]/);
    expect(text).toMatch(/outbox_published_total\{service="model-registry"\} [1-9]/);
    expect(text).toMatch(/outbox_backlog\{service="model-registry"\} \d+/);
    expect(text).toContain('outbox_publish_seconds_bucket');
  });
});
