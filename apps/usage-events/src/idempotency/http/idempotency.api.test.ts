import { subjectOf } from '@aal/contracts';
import { Client } from 'pg';
import { readEvents, runningUsageEvents } from '../../testing/usage-app';
import { at, clinicalSystem, MINUTE, nurse, otherTrust, otherTrustDeployment, outputBody } from '../../testing/usage.factories';
import { topicCount, topicHolds } from '../../testing/topic';

const key = (name: string) => ({ 'Idempotency-Key': `${name}-${Math.random().toString(36).slice(2)}` });

describe('usage-events API: Idempotency-Key', () => {
  const usage = runningUsageEvents();
  const { call } = usage;

  // First in this file on purpose: the topic then holds exactly the one event of this output.
  it('replays the stored response for the same key and request, recording and publishing nothing new', async () => {
    const headers = key('gen');
    const body = outputBody(at(Date.now(), -20));
    const first = await call('POST', '/outputs', { body, caller: clinicalSystem, headers });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    // Same request with its keys in another order: the same canonical body.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await call('POST', '/outputs', { body: reordered, caller: clinicalSystem, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);

    // Without the key, the same request is an ordinary retry: 200, and still one event.
    const view = await call('GET', `/outputs/${body.outputId}`, { caller: clinicalSystem });
    expect(view.body.history).toHaveLength(1);
    const marker = await call('POST', '/outputs', { body: outputBody(at(Date.now(), -20)), caller: clinicalSystem });
    expect(marker.status).toBe(201);
    await topicHolds(usage.app, 2);
    const published = await readEvents(usage.app, 2);
    expect(published.filter((m) => m.key === subjectOf('output', body.outputId))).toHaveLength(1);
  });

  it('replays a batch with the same event ids and answers another request under the same key with 422 IDEMPOTENCY.KEY_REUSED', async () => {
    const headers = key('batch');
    const base = Date.now() - 30 * MINUTE;
    const o = outputBody(at(base));
    const items = [
      { kind: 'output.generated', body: o },
      { kind: 'output.presented', body: { outputId: o.outputId, professional: nurse, site: 'ward-7', occurredAt: at(base, 1) } },
    ];
    const start = await topicCount(usage.app);
    const first = await call('POST', '/batches', { body: { items }, caller: clinicalSystem, headers });
    expect(first.status).toBe(201);
    // The relay publishes after the answer: count from once the first batch's two events are out.
    const before = start + 2;
    await topicHolds(usage.app, before);
    const replay = await call('POST', '/batches', { body: { items }, caller: clinicalSystem, headers });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);

    const changed = await call('POST', '/batches', { body: { items: items.slice(0, 1) }, caller: clinicalSystem, headers });
    expect(changed.status).toBe(422);
    expect(changed.body).toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED', status: 422 });
    const otherPath = await call('POST', '/outputs', { body: o, caller: clinicalSystem, headers });
    expect(otherPath.status).toBe(422);
    expect(otherPath.body.code).toBe('IDEMPOTENCY.KEY_REUSED');

    expect((await call('GET', `/outputs/${o.outputId}`, { caller: clinicalSystem })).body.revision).toBe(1);
    expect((await call('POST', '/outputs', { body: outputBody(at(base)), caller: clinicalSystem })).status).toBe(201);
    await topicHolds(usage.app, before + 1);
  });

  it('scopes keys to the caller’s organisation', async () => {
    const headers = key('shared');
    const mine = await call('POST', '/outputs', { body: outputBody(at(Date.now(), -5)), caller: clinicalSystem, headers });
    const theirs = await call('POST', '/outputs', {
      body: outputBody(at(Date.now(), -5), { deploymentId: otherTrustDeployment.deploymentId }),
      caller: otherTrust,
      headers,
    });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.organisationId).toBe(otherTrust.organisationId);
  });

  it('answers a duplicate that arrives while the first is in flight with 409 IDEMPOTENCY.IN_PROGRESS', async () => {
    const headers = key('slow');
    // Hold the key's lock as an in-flight first request would (same lock name as the service),
    // so the duplicate's arrival "meanwhile" is certain rather than a race.
    const holder = new Client({ connectionString: usage.app.databaseUrl });
    await holder.connect();
    try {
      const lockName = `usage_events.idempotency_keys\n${clinicalSystem.organisationId}\n${headers['Idempotency-Key']}`;
      await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockName]);
      const body = outputBody(at(Date.now(), -5));
      const duplicate = await call('POST', '/outputs', { body, caller: clinicalSystem, headers });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toMatchObject({ status: 409, code: 'IDEMPOTENCY.IN_PROGRESS' });
      await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockName]);
      const first = await call('POST', '/outputs', { body, caller: clinicalSystem, headers });
      expect(first.status).toBe(201);
      const again = await call('POST', '/outputs', { body, caller: clinicalSystem, headers });
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
    } finally {
      await holder.end();
    }
  });

  it('stores no response for a refused request, so the corrected request may use the same key', async () => {
    const headers = key('fix');
    const body = outputBody(at(Date.now(), 30)); // in the future: refused
    const refused = await call('POST', '/outputs', { body, caller: clinicalSystem, headers });
    expect(refused.status).toBe(422);
    const again = await call('POST', '/outputs', { body, caller: clinicalSystem, headers });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('USAGE.OCCURRED_IN_FUTURE');
  });

  it('refuses a malformed key with 400 IDEMPOTENCY.KEY_INVALID', async () => {
    for (const bad of ['has space', 'x'.repeat(201), 'tab\there']) {
      const res = await call('POST', '/outputs', {
        body: outputBody(at(Date.now(), -5)),
        caller: clinicalSystem,
        headers: { 'Idempotency-Key': bad },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('IDEMPOTENCY.KEY_INVALID');
    }
  });

  // Issue #11, item 4: the fingerprint of such a body overflowed the stack (500) with a key, while
  // the same body without one got a 400. Refused at the body parser now, key or no key.
  it.each([
    ['/outputs', 'application/json'],
    ['/outputs/out-deep-0001/presentations', 'application/json'],
    ['/outputs/out-deep-0001/actions', 'application/json'],
    ['/instructions', 'application/json'],
    ['/incidents', 'application/json'],
    ['/batches', 'application/json'],
    ['/fhir/AuditEvent', 'application/fhir+json'],
    ['/fhir/Provenance', 'application/fhir+json'],
  ])('refuses a 200 KB body nested 100,000 deep on POST %s with 400 REQUEST.TOO_DEEP, with or without a key', async (path, contentType) => {
    const raw = `{"outputId":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const deepest = `/outputId${'/0'.repeat(31)}`;
    for (const headers of [{ ...key('deep'), 'content-type': contentType }, { 'content-type': contentType }]) {
      const res = await call('POST', path, { raw, caller: clinicalSystem, headers });
      expect(res.status).toBe(400);
      if (path.startsWith('/fhir/')) {
        expect(res.body.issue).toEqual([
          expect.objectContaining({ code: 'structure', details: { coding: [{ system: 'urn:aal:problem', code: 'REQUEST.TOO_DEEP' }] } }),
        ]);
      } else {
        expect(res.body).toMatchObject({ code: 'REQUEST.TOO_DEEP', errors: [{ pointer: deepest, rule: 'max-depth' }] });
      }
    }
  });
});
