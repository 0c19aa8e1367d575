import { validateEvent } from '@aal/contracts';
import { readEvents, runningUsageEvents } from '../../testing/usage-app';
import { at, clinicalSystem, MINUTE, nurse, outputBody } from '../../testing/usage.factories';
import { auditEvent, provenance } from '../../testing/fhir.factories';

const fhir = { 'content-type': 'application/fhir+json' };

describe('usage-events API: FHIR AuditEvent and Provenance', () => {
  const usage = runningUsageEvents();
  const { call } = usage;

  // First in this file on purpose: the topic then holds exactly these three events.
  it('maps an AuditEvent (presented) and a Provenance (overridden) onto the output’s events, answering like the native endpoints', async () => {
    const base = Date.now() - 30 * MINUTE;
    const output = outputBody(at(base));
    expect((await call('POST', '/outputs', { body: output, caller: clinicalSystem })).status).toBe(201);

    const presentedAt = at(base, 2);
    const presented = await call('POST', '/fhir/AuditEvent', {
      body: auditEvent(output.outputId, 'presented', presentedAt),
      caller: clinicalSystem,
      headers: fhir,
    });
    expect(presented.status).toBe(201);
    expect(presented.body).toMatchObject({
      outputId: output.outputId,
      revision: 2,
      presentations: [{ professional: nurse, site: 'ward-7', occurredAt: presentedAt }],
    });

    const actedAt = at(base, 5);
    const acted = await call('POST', '/fhir/Provenance', {
      body: provenance(output.outputId, 'overridden', actedAt),
      caller: clinicalSystem,
      headers: { 'content-type': 'application/json' },
    });
    expect(acted.status).toBe(201);
    expect(acted.body.actions).toEqual([
      {
        professional: nurse,
        action: 'overridden',
        rationale: 'Lactate normal; dehydration.',
        reviewDurationSeconds: 95,
        occurredAt: actedAt,
      },
    ]);
    expect(acted.body).toEqual((await call('GET', `/outputs/${output.outputId}`, { caller: clinicalSystem })).body);

    const published = await readEvents(usage.app, 3);
    expect(published.map((m) => m.event.type)).toEqual(['aal.output.generated.v2', 'aal.output.presented.v1', 'aal.output.acted-on.v1']);
    expect(published.map((m) => validateEvent(m.event))).toEqual([[], [], []]);
    expect(published[1]!.event).toMatchObject({
      time: presentedAt,
      data: { outputId: output.outputId, professional: nurse, site: 'ward-7', actor: clinicalSystem },
    });
    expect(published[2]!.event).toMatchObject({
      time: actedAt,
      data: { action: 'overridden', reviewDurationSeconds: 95, rationale: 'Lactate normal; dehydration.' },
    });

    const acceptedVia = await call('POST', '/fhir/AuditEvent', {
      body: auditEvent(output.outputId, 'accepted', at(base, 6)),
      caller: clinicalSystem,
      headers: fhir,
    });
    expect(acceptedVia.status).toBe(201);
    expect(acceptedVia.body.actions[1]).toMatchObject({ action: 'accepted', reviewDurationSeconds: 95 });
  });

  it('refuses a Patient reference with 422 and an OperationOutcome naming the element', async () => {
    const resource = auditEvent('out-anything-1', 'presented', at(Date.now(), -1));
    resource.entity.push({ what: { reference: 'Patient/9434765919' } } as never);
    const res = await call('POST', '/fhir/AuditEvent', { body: resource, caller: clinicalSystem, headers: fhir });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
    expect(res.body).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'invalid',
          diagnostics: expect.stringContaining('Patient reference'),
          expression: ['AuditEvent.entity[1].what.reference'],
        },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain('9434765919');

    const nhsAgent = provenance('out-anything-1', 'accepted', at(Date.now(), -1));
    nhsAgent.agent[0]!.who = { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765919' } };
    const byNhs = await call('POST', '/fhir/Provenance', { body: nhsAgent, caller: clinicalSystem, headers: fhir });
    expect(byNhs.status).toBe(422);
    expect(byNhs.body.issue).toEqual([
      expect.objectContaining({ code: 'invalid', expression: ['Provenance.agent[0].who.identifier.system'] }),
    ]);
  });

  it('refuses an unsupported action with 422 not-supported naming the element', async () => {
    const res = await call('POST', '/fhir/AuditEvent', {
      body: auditEvent('out-anything-1', 'deleted', at(Date.now(), -1)),
      caller: clinicalSystem,
      headers: fhir,
    });
    expect(res.status).toBe(422);
    expect(res.body.issue).toEqual([
      expect.objectContaining({ severity: 'error', code: 'not-supported', expression: ['AuditEvent.subtype'] }),
    ]);

    const presentedByProvenance = await call('POST', '/fhir/Provenance', {
      body: provenance('out-anything-1', 'presented', at(Date.now(), -1)),
      caller: clinicalSystem,
      headers: fhir,
    });
    expect(presentedByProvenance.status).toBe(422);
    expect(presentedByProvenance.body.issue).toEqual([
      expect.objectContaining({ code: 'not-supported', expression: ['Provenance.activity'] }),
    ]);
  });

  it('answers schema and domain refusals of a mapped resource with an OperationOutcome at the source element', async () => {
    const badRole = auditEvent('out-anything-1', 'presented', at(Date.now(), -1));
    badRole.agent[0]!.role = [{ coding: [{ code: 'Staff Nurse' }] }];
    const res = await call('POST', '/fhir/AuditEvent', { body: badRole, caller: clinicalSystem, headers: fhir });
    expect(res.status).toBe(422);
    expect(res.body.issue).toEqual([expect.objectContaining({ code: 'value', expression: ['AuditEvent.agent[0].role'] })]);

    const unknown = await call('POST', '/fhir/Provenance', {
      body: provenance('out-never-reported', 'accepted', at(Date.now(), -1)),
      caller: clinicalSystem,
      headers: fhir,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/fhir+json');
    expect(unknown.body.issue).toEqual([
      expect.objectContaining({ code: 'not-found', diagnostics: expect.stringContaining('OUTPUT.NOT_FOUND') }),
    ]);

    const notFhir = await call('POST', '/fhir/AuditEvent', { raw: 'x', caller: clinicalSystem, headers: { 'content-type': 'text/plain' } });
    expect(notFhir.status).toBe(415);
    expect(notFhir.body.resourceType).toBe('OperationOutcome');
  });

  it('answers the shared body refusals (unstorable text, too deep, not JSON) with an OperationOutcome too, never a 500 or a problem document', async () => {
    const withNul = auditEvent('out-anything-1', 'presented', at(Date.now(), -1));
    withNul.entity[0]!['detail'] = [{ type: 'rationale', valueString: 'agreed\u0000' }];
    const text = await call('POST', '/fhir/AuditEvent', { body: withNul, caller: clinicalSystem, headers: fhir });
    expect(text.status).toBe(400);
    expect(text.headers.get('content-type')).toContain('application/fhir+json');
    expect(text.body).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        expect.objectContaining({
          code: 'invalid',
          expression: ['AuditEvent.entity[0].detail[0].valueString'],
          details: { coding: [{ system: 'urn:aal:problem', code: 'REQUEST.UNSTORABLE_TEXT' }] },
        }),
      ],
    });

    const key = await call('POST', '/fhir/Provenance', {
      raw: '{"resourceType":"Provenance","a/b\\ud800":1}',
      caller: clinicalSystem,
      headers: fhir,
    });
    expect(key.status).toBe(400);
    expect(key.body.issue).toEqual([expect.objectContaining({ code: 'invalid', expression: ['Provenance.a/b\ud800'] })]);

    const deep = await call('POST', '/fhir/Provenance', {
      raw: `{"target":${'['.repeat(40)}${']'.repeat(40)}}`,
      caller: clinicalSystem,
      headers: fhir,
    });
    expect(deep.status).toBe(400);
    expect(deep.body.issue).toEqual([
      expect.objectContaining({ code: 'structure', details: { coding: [{ system: 'urn:aal:problem', code: 'REQUEST.TOO_DEEP' }] } }),
    ]);

    const notJson = await call('POST', '/fhir/AuditEvent', { raw: '{"resourceType":', caller: clinicalSystem, headers: fhir });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [expect.objectContaining({ code: 'structure', expression: ['AuditEvent'] })],
    });
  });
});
