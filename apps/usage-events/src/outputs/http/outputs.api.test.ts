import { subjectOf, validateEvent } from '@aal/contracts';
import { readEvents, runningUsageEvents } from '../../testing/usage-app';
import { at, clinicalSystem, MINUTE, nurse, otherTrust, otherTrustDeployment, outputBody } from '../../testing/usage.factories';

describe('usage-events API: outputs', () => {
  const usage = runningUsageEvents();
  const { call } = usage;
  const now = () => Date.now();

  // First in this file on purpose: the topic then holds exactly these three events.
  it('records generate → present → act, publishing three valid CloudEvents in order, keyed by the output, timed by occurredAt', async () => {
    const base = now() - 30 * MINUTE;
    const body = outputBody(at(base));
    const generated = await call('POST', '/outputs', { body, caller: clinicalSystem });
    expect(generated.status).toBe(201);
    const { occurredAt: generatedAt, ...facts } = body;
    expect(generated.body).toMatchObject({
      ...facts,
      organisationId: clinicalSystem.organisationId,
      generatedAt,
      presentations: [],
      actions: [],
      revision: 1,
    });

    const presentedAt = at(base, 2, '+01:00');
    const presented = await call('POST', `/outputs/${body.outputId}/presentations`, {
      body: { professional: nurse, site: 'ward-7', occurredAt: presentedAt },
      caller: clinicalSystem,
    });
    expect(presented.status).toBe(201);
    expect(presented.body.presentations).toEqual([{ professional: nurse, site: 'ward-7', occurredAt: presentedAt }]);

    const actedAt = at(base, 4);
    const action = {
      professional: nurse,
      action: 'overridden',
      rationale: 'Lactate normal; picture is dehydration.',
      reviewDurationSeconds: 95,
    };
    const acted = await call('POST', `/outputs/${body.outputId}/actions`, {
      body: { ...action, occurredAt: actedAt },
      caller: clinicalSystem,
    });
    expect(acted.status).toBe(201);
    expect(acted.body.actions).toEqual([{ ...action, occurredAt: actedAt }]);

    const view = await call('GET', `/outputs/${body.outputId}`, { caller: clinicalSystem });
    expect(view.status).toBe(200);
    expect(Object.keys(view.body)).toEqual([
      'outputId',
      'organisationId',
      'deploymentId',
      'modelId',
      'versionId',
      'subjectRef',
      'outputDigest',
      'site',
      'summary',
      'generatedAt',
      'presentations',
      'actions',
      'instructions',
      'revision',
      'history',
    ]);
    expect(view.body.revision).toBe(3);
    // A write answers from the state in hand, a GET from the stored one: the same bytes, key order included.
    expect(JSON.stringify(acted.body)).toBe(JSON.stringify(view.body));
    expect(view.body.history.map((e: { type: string; time: string }) => [e.type, e.time])).toEqual([
      ['aal.output.generated.v2', generatedAt],
      ['aal.output.presented.v1', presentedAt],
      ['aal.output.acted-on.v1', actedAt],
    ]);

    const published = await readEvents(usage.app, 3);
    expect(published.map((m) => m.key)).toEqual([
      subjectOf('output', body.outputId),
      subjectOf('output', body.outputId),
      subjectOf('output', body.outputId),
    ]);
    expect(published.map((m) => m.event.type)).toEqual(['aal.output.generated.v2', 'aal.output.presented.v1', 'aal.output.acted-on.v1']);
    expect(published.map((m) => m.event.time)).toEqual([generatedAt, presentedAt, actedAt]);
    expect(published.map((m) => validateEvent(m.event))).toEqual([[], [], []]);
    expect(published.map((m) => m.event.id)).toEqual(view.body.history.map((e: { id: string }) => e.id));
    expect(published[0]!.event.data).toMatchObject({
      actor: clinicalSystem,
      organisationId: clinicalSystem.organisationId,
      subjectRef: body.subjectRef,
    });
    expect(published[2]!.event.data).toMatchObject({
      action: 'overridden',
      rationale: action.rationale,
      reviewDurationSeconds: 95,
      professional: nurse,
    });
  });

  it('answers an identical re-post with 200 and records nothing new', async () => {
    const body = outputBody(at(now(), -20));
    expect((await call('POST', '/outputs', { body, caller: clinicalSystem })).status).toBe(201);
    const again = await call('POST', '/outputs', { body, caller: clinicalSystem });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outputId: body.outputId, revision: 1 });
    expect(again.body.history).toHaveLength(1);
  });

  it('records an output once when a report and its retries race each other', async () => {
    // TypeORM logs every lost race as a failed query; losing races is the point here.
    const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      // Several rounds, because a single round of racing requests does not always collide.
      for (let round = 0; round < 5; round++) {
        const body = outputBody(at(now(), -20));
        const statuses = await Promise.all(
          Array.from({ length: 6 }, () => call('POST', '/outputs', { body, caller: clinicalSystem }).then((r) => r.status)),
        );
        expect(statuses.sort()).toEqual([200, 200, 200, 200, 200, 201]);
        const view = await call('GET', `/outputs/${body.outputId}`, { caller: clinicalSystem });
        expect(view.body.revision).toBe(1);
        expect(view.body.history.map((e: { type: string }) => e.type)).toEqual(['aal.output.generated.v2']);
      }
    } finally {
      quiet.mockRestore();
    }
  });

  it('refuses the same output id with different content (409), keeping the original', async () => {
    const body = outputBody(at(now(), -20));
    await call('POST', '/outputs', { body, caller: clinicalSystem });
    const conflicting = await call('POST', '/outputs', { body: { ...body, site: 'ward-9' }, caller: clinicalSystem });
    expect(conflicting.status).toBe(409);
    expect(conflicting.headers.get('content-type')).toContain('application/problem+json');
    expect(conflicting.body).toMatchObject({ status: 409, code: 'OUTPUT.ALREADY_RECORDED', differingFields: ['site'] });
    const view = await call('GET', `/outputs/${body.outputId}`, { caller: clinicalSystem });
    expect(view.body).toMatchObject({ site: 'ward-7', revision: 1 });
  });

  it('refuses an action dated before the output was generated (422), comparing instants across offsets', async () => {
    const base = now() - 60 * MINUTE;
    const body = outputBody(at(base));
    await call('POST', '/outputs', { body, caller: clinicalSystem });
    // Ten minutes before generation, written at +01:00 so the string sorts after the generation time.
    const res = await call('POST', `/outputs/${body.outputId}/actions`, {
      body: { professional: nurse, action: 'accepted', reviewDurationSeconds: 12, occurredAt: at(base, -10, '+01:00') },
      caller: clinicalSystem,
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'OUTPUT.BEFORE_GENERATION', generatedAt: body.occurredAt });
    expect((await call('GET', `/outputs/${body.outputId}`, { caller: clinicalSystem })).body.actions).toEqual([]);
  });

  it('refuses an occurredAt more than 5 minutes in the future (422) but accepts a late one', async () => {
    const future = await call('POST', '/outputs', { body: outputBody(at(now(), 10)), caller: clinicalSystem });
    expect(future.status).toBe(422);
    expect(future.body).toMatchObject({ code: 'USAGE.OCCURRED_IN_FUTURE', toleranceSeconds: 300 });

    const late = outputBody(at(now(), -3 * 24 * 60));
    const res = await call('POST', '/outputs', { body: late, caller: clinicalSystem });
    expect(res.status).toBe(201);
    expect(res.body.generatedAt).toBe(late.occurredAt);
  });

  it('requires a rationale to override (422 naming /rationale)', async () => {
    const body = outputBody(at(now(), -20));
    await call('POST', '/outputs', { body, caller: clinicalSystem });
    const res = await call('POST', `/outputs/${body.outputId}/actions`, {
      body: { professional: nurse, action: 'overridden', reviewDurationSeconds: 30, occurredAt: at(now(), -10) },
      caller: clinicalSystem,
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('OUTPUT.RATIONALE_REQUIRED');
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/rationale' })]);
  });

  it('answers bad input with a 400 problem naming each field, and never takes the actor from the body', async () => {
    const body = outputBody('yesterday', {
      subjectRef: '9434765919',
      outputDigest: 'md5:abc',
      actor: otherTrust,
      organisationId: 'other-trust',
    });
    const res = await call('POST', '/outputs', { body, caller: clinicalSystem });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: 'urn:aal:problem:request.invalid', status: 400, code: 'REQUEST.INVALID', instance: '/outputs' });
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(
      ['/actor', '/occurredAt', '/organisationId', '/outputDigest', '/subjectRef'].sort(),
    );

    const badAction = await call('POST', '/outputs/out-anything/actions', {
      body: { professional: { personId: 'psn_nurseAdaLovel' }, action: 'shrugged', reviewDurationSeconds: -1, occurredAt: at(now()) },
      caller: clinicalSystem,
    });
    expect(badAction.status).toBe(400);
    expect(badAction.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(
      expect.arrayContaining(['/professional/role', '/action', '/reviewDurationSeconds']),
    );

    const badPath = await call('GET', '/outputs/%20x', { caller: clinicalSystem });
    expect(badPath.status).toBe(400);
  });

  it('records the service and coarse population facts in output.generated v2, and shows them in the record', async () => {
    const population = { ageBand: '16-17', contraindicationCodes: ['snomed:77386006'] };
    const body = outputBody(at(now(), -5), { service: 'acute-medicine', population });
    const res = await call('POST', '/outputs', { body, caller: clinicalSystem });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      service: 'acute-medicine',
      population: { ageBand: '16-17', contraindicationCodes: ['snomed:77386006'] },
    });
    const [event] = res.body.history;
    expect(event.type).toBe('aal.output.generated.v2');
    expect(event.data).toMatchObject({ site: 'ward-7', service: 'acute-medicine', population });
    expect(validateEvent(event)).toEqual([]);
    const again = await call('POST', '/outputs', { body: { ...body, population: { ageBand: '18-39' } }, caller: clinicalSystem });
    expect(again.status).toBe(409);
    expect(again.body.differingFields).toEqual(['population']);
  });

  it('refuses an exact date of birth, an age in years or an NHS number with a 400 naming each pointer and what to send instead, storing nothing', async () => {
    const body = outputBody(at(now(), -5), {
      nhsNumber: '9434765919',
      population: { ageBand: '65-79', dateOfBirth: '1950-02-03', age: 75 },
    });
    const res = await call('POST', '/outputs', { body, caller: clinicalSystem });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('REQUEST.INVALID');
    const byPointer = Object.fromEntries(res.body.errors.map((e: { pointer: string; detail: string }) => [e.pointer, e.detail]));
    expect(Object.keys(byPointer).sort()).toEqual(['/nhsNumber', '/population/age', '/population/dateOfBirth']);
    expect(byPointer['/population/dateOfBirth']).toContain('send population.ageBand');
    expect(byPointer['/nhsNumber']).toContain('subjectRef, a pseudonym');
    expect(JSON.stringify(res.body)).not.toMatch(/9434765919|1950-02-03/);

    const badBand = await call('POST', '/outputs', {
      body: outputBody(at(now(), -5), { population: { ageBand: '75' } }),
      caller: clinicalSystem,
    });
    expect(badBand.status).toBe(400);
    expect(badBand.body.errors).toEqual([expect.objectContaining({ pointer: '/population/ageBand' })]);
    expect((await call('GET', `/outputs/${body.outputId}`, { caller: clinicalSystem })).status).toBe(404);
  });

  it('refuses a pseudonym holding an NHS-number-like run of digits with a 400 naming the field, storing nothing', async () => {
    const body = outputBody(at(now(), -5), { subjectRef: 'psn_9434765919' });
    const res = await call('POST', '/outputs', { body, caller: clinicalSystem });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('USAGE.IDENTIFIER_IN_PSEUDONYM');
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/subjectRef' })]);
    expect(JSON.stringify(res.body)).not.toContain('9434765919');
    expect((await call('GET', `/outputs/${body.outputId}`, { caller: clinicalSystem })).status).toBe(404);
  });

  it('refuses reports about unknown outputs (404) and about, or reads of, another organisation’s output (403)', async () => {
    const unknown = await call('POST', '/outputs/out-never-reported/presentations', {
      body: { professional: nurse, site: 'ward-7', occurredAt: at(now(), -1) },
      caller: clinicalSystem,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('OUTPUT.NOT_FOUND');

    const body = outputBody(at(now(), -20));
    await call('POST', '/outputs', { body, caller: clinicalSystem });
    const foreign = await call('POST', `/outputs/${body.outputId}/presentations`, {
      body: { professional: nurse, site: 'ward-7', occurredAt: at(now(), -1) },
      caller: otherTrust,
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('OUTPUT.NOT_OWNER');
    expect((await call('GET', `/outputs/${body.outputId}`, { caller: otherTrust })).status).toBe(403);
    expect((await call('GET', `/outputs/${body.outputId}`)).status).toBe(401);
  });

  it("gives another organisation that reuses an output id one answer, whether its guess of the record's facts is right or wrong", async () => {
    const body = outputBody(at(now(), -20));
    expect((await call('POST', '/outputs', { body, caller: clinicalSystem })).status).toBe(201);
    const asOtherTrust = (guess: Record<string, unknown>) =>
      call('POST', '/outputs', { body: { ...body, deploymentId: otherTrustDeployment.deploymentId, ...guess }, caller: otherTrust });
    const rightGuess = await asOtherTrust({});
    const wrongGuess = await asOtherTrust({ subjectRef: 'psn_someoneElse01', site: 'ward-9' });
    const comparable = (res: { status: number; body: Record<string, unknown> }) => {
      const { correlationId: _ignored, ...rest } = res.body;
      return { status: res.status, ...rest };
    };
    expect(comparable(rightGuess)).toEqual(comparable(wrongGuess));
    expect(rightGuess.body).toMatchObject({ status: 409, code: 'OUTPUT.ID_IN_USE' });
    expect(JSON.stringify(rightGuess.body)).not.toMatch(/differing|subjectRef|outputDigest|site/);
    const view = await call('GET', `/outputs/${body.outputId}`, { caller: clinicalSystem });
    expect(view.body).toMatchObject({ organisationId: clinicalSystem.organisationId, revision: 1 });
  });

  it('publishes OpenAPI for every endpoint', async () => {
    const res = await call('GET', '/docs/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/outputs',
        '/outputs/{outputId}/presentations',
        '/outputs/{outputId}/actions',
        '/outputs/{outputId}',
        '/instructions',
        '/incidents',
        '/incidents/{incidentId}',
      ]),
    );
  });

  it('reports readiness of PostgreSQL, Kafka and the deployment directory', async () => {
    const res = await call('GET', '/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual([
      { name: 'postgresql', ok: true },
      { name: 'kafka', ok: true },
      { name: 'deployment-directory', ok: true },
    ]);
  });
});
