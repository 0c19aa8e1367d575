import { subjectOf, validateEvent } from '@aal/contracts';
import { readEvents, runningUsageEvents } from '../../testing/usage-app';
import { at, clinicalSystem, MINUTE, nurse, outputBody, registrar } from '../../testing/usage.factories';
import { topicCount, topicHolds } from '../../testing/topic';

describe('usage-events API: batches', () => {
  const usage = runningUsageEvents();
  const { call } = usage;

  // First in this file on purpose: the topic then holds exactly these 1,000 events.
  it('accepts 1,000 items in one transaction, in item order, and publishes each output’s events in that order', async () => {
    const base = Date.now() - 60 * MINUTE;
    const outputs = Array.from({ length: 250 }, (_, i) => outputBody(at(base, i / 10)));
    // Each output's four items lie 250 items apart, so every one depends on an earlier item.
    const items = [
      ...outputs.map((o) => ({ kind: 'output.generated', body: o })),
      ...outputs.map((o) => ({
        kind: 'output.presented',
        body: { outputId: o.outputId, professional: nurse, site: 'ward-7', occurredAt: at(base, 30) },
      })),
      ...outputs.map((o) => ({
        kind: 'output.acted-on',
        body: {
          outputId: o.outputId,
          professional: nurse,
          action: 'overridden',
          rationale: 'Lactate normal.',
          reviewDurationSeconds: 40,
          occurredAt: at(base, 31),
        },
      })),
      ...outputs.map((o) => ({
        kind: 'instruction.given',
        body: { instructor: registrar, professionalId: nurse.personId, kind: 'follow-ai', outputId: o.outputId, occurredAt: at(base, 32) },
      })),
    ];
    expect(items).toHaveLength(1000);

    const res = await call('POST', '/batches', { body: { items }, caller: clinicalSystem });
    expect(res.status).toBe(201);
    expect(res.body.accepted).toBe(1000);
    expect(res.body.items).toHaveLength(1000);
    expect(res.body.items[0]).toEqual({
      index: 0,
      kind: 'output.generated',
      subject: subjectOf('output', outputs[0]!.outputId),
      eventIds: [expect.any(String)],
    });
    expect(res.body.items[999]).toEqual({
      index: 999,
      kind: 'instruction.given',
      subject: subjectOf('output', outputs[249]!.outputId),
      eventIds: [expect.any(String)],
    });

    const view = await call('GET', `/outputs/${outputs[17]!.outputId}`, { caller: clinicalSystem });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ revision: 1 }); // one save per aggregate per batch, whatever its number of items
    expect(view.body.history.map((e: { type: string }) => e.type)).toEqual([
      'aal.output.generated.v2',
      'aal.output.presented.v1',
      'aal.output.acted-on.v1',
      'aal.instruction.given.v1',
    ]);
    expect(view.body.history.map((e: { id: string }) => e.id)).toEqual([17, 267, 517, 767].map((i) => res.body.items[i].eventIds[0]));

    const published = await readEvents(usage.app, 1000);
    expect(published).toHaveLength(1000);
    const byKey = new Map<string, string[]>();
    for (const m of published) byKey.set(m.key!, [...(byKey.get(m.key!) ?? []), m.event.type]);
    expect(byKey.size).toBe(250);
    for (const types of byKey.values()) {
      expect(types).toEqual(['aal.output.generated.v2', 'aal.output.presented.v1', 'aal.output.acted-on.v1', 'aal.instruction.given.v1']);
    }
    expect(published.filter((m) => validateEvent(m.event).length > 0)).toEqual([]);
  }, 60000);

  it('stores nothing when one item is refused by a domain rule, and lists every refused item (422 BATCH.REJECTED)', async () => {
    const before = await topicCount(usage.app);
    const base = Date.now() - 30 * MINUTE;
    const a = outputBody(at(base));
    const b = outputBody(at(base));
    const items = [
      { kind: 'output.generated', body: a },
      { kind: 'output.presented', body: { outputId: a.outputId, professional: nurse, site: 'ward-7', occurredAt: at(base, 1) } },
      { kind: 'output.generated', body: b },
      // Overriding without a rationale is refused by the output decider.
      {
        kind: 'output.acted-on',
        body: { outputId: b.outputId, professional: nurse, action: 'overridden', reviewDurationSeconds: 12, occurredAt: at(base, 2) },
      },
      { kind: 'incident.reported', body: { outputIds: [a.outputId], harmReference: 'LFPSE:W1', occurredAt: at(base, 3) } },
      { kind: 'output.presented', body: { outputId: 'out-never-generated', professional: nurse, site: 'ward-7', occurredAt: at(base, 1) } },
    ];
    const res = await call('POST', '/batches', { body: { items }, caller: clinicalSystem });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'urn:aal:problem:batch.rejected', status: 422, code: 'BATCH.REJECTED', instance: '/batches' });
    expect(res.body.errors).toEqual([
      expect.objectContaining({ index: 3, pointer: '/items/3/body/rationale', code: 'OUTPUT.RATIONALE_REQUIRED' }),
      expect.objectContaining({ index: 5, pointer: '/items/5/body', code: 'OUTPUT.NOT_FOUND' }),
    ]);

    expect((await call('GET', `/outputs/${a.outputId}`, { caller: clinicalSystem })).status).toBe(404);
    expect((await call('GET', `/outputs/${b.outputId}`, { caller: clinicalSystem })).status).toBe(404);
    // A later single report is the only new message: nothing of the refused batch reached the outbox.
    expect((await call('POST', '/outputs', { body: outputBody(at(base)), caller: clinicalSystem })).status).toBe(201);
    await topicHolds(usage.app, before + 1);
  });

  it('validates every item first: schema errors give 400 BATCH.REJECTED with pointers into the items, storing nothing', async () => {
    const good = outputBody(at(Date.now(), -10));
    const items = [
      { kind: 'output.generated', body: good },
      { kind: 'output.presented', body: { professional: nurse, site: 'ward-7', occurredAt: at(Date.now(), -5) } },
      { kind: 'output.shrugged', body: {} },
      {
        kind: 'output.acted-on',
        body: {
          outputId: good.outputId,
          professional: nurse,
          action: 'accepted',
          reviewDurationSeconds: -1,
          occurredAt: at(Date.now(), -5),
        },
        extra: 1,
      },
    ];
    const res = await call('POST', '/batches', { body: { items }, caller: clinicalSystem });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BATCH.REJECTED');
    expect(res.body.errors.map((e: { index: number; pointer: string }) => [e.index, e.pointer])).toEqual([
      [1, '/items/1/body/outputId'],
      [2, '/items/2/kind'],
      [3, '/items/3/extra'],
      [3, '/items/3/body/reviewDurationSeconds'],
    ]);
    expect((await call('GET', `/outputs/${good.outputId}`, { caller: clinicalSystem })).status).toBe(404);

    const empty = await call('POST', '/batches', { body: { items: [] }, caller: clinicalSystem });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([expect.objectContaining({ pointer: '/items', rule: 'minItems' })]);
  });

  it('records the service and population facts of a batched output, and refuses a date of birth in another item naming its pointer', async () => {
    const scoped = outputBody(at(Date.now(), -10), { service: 'acute-medicine', population: { ageBand: '80-plus' } });
    const identifying = outputBody(at(Date.now(), -10), { population: { birthDate: '1931-04-05' } });
    const refused = await call('POST', '/batches', {
      body: {
        items: [
          { kind: 'output.generated', body: scoped },
          { kind: 'output.generated', body: identifying },
        ],
      },
      caller: clinicalSystem,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        index: 1,
        pointer: '/items/1/body/population/birthDate',
        detail: expect.stringContaining('population.ageBand'),
      }),
    ]);
    expect(JSON.stringify(refused.body)).not.toContain('1931-04-05');
    expect((await call('GET', `/outputs/${scoped.outputId}`, { caller: clinicalSystem })).status).toBe(404);

    const accepted = await call('POST', '/batches', {
      body: { items: [{ kind: 'output.generated', body: scoped }] },
      caller: clinicalSystem,
    });
    expect(accepted.status).toBe(201);
    const view = await call('GET', `/outputs/${scoped.outputId}`, { caller: clinicalSystem });
    expect(view.body.history[0]).toMatchObject({
      type: 'aal.output.generated.v2',
      data: { service: 'acute-medicine', population: { ageBand: '80-plus' } },
    });
  });

  it('refuses more than 5,000 items with 413 BATCH.TOO_LARGE naming the limit', async () => {
    const body = outputBody(at(Date.now(), -10));
    const items = Array.from({ length: 5001 }, () => ({ kind: 'output.generated', body }));
    const res = await call('POST', '/batches', { body: { items }, caller: clinicalSystem });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ status: 413, code: 'BATCH.TOO_LARGE', maxItems: 5000, items: 5001 });
    expect(res.body.detail).toContain('5000');
    expect((await call('GET', `/outputs/${body.outputId}`, { caller: clinicalSystem })).status).toBe(404);
  });

  it('reads batch bodies of several megabytes while other routes keep the 1 MB limit', async () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({
      kind: 'output.generated',
      body: outputBody(at(Date.now(), -10), { summary: `${'x'.repeat(600)} ${i}` }),
    }));
    const raw = JSON.stringify({ items });
    expect(raw.length).toBeGreaterThan(4_000_000);
    const res = await call('POST', '/batches', { raw, caller: clinicalSystem });
    expect(res.status).toBe(201);
    expect(res.body.accepted).toBe(5000);

    const big = await call('POST', '/outputs', {
      body: outputBody(at(Date.now(), -10), { summary: 'x'.repeat(1_100_000) }),
      caller: clinicalSystem,
    });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('REQUEST.TOO_LARGE');
  }, 60000);

  it('publishes the batch endpoint in OpenAPI', async () => {
    const res = await call('GET', '/docs/openapi.json');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/batches', '/fhir/AuditEvent', '/fhir/Provenance']));
  });
});
