import { nurse } from '../../testing/usage.factories';
import { mapAuditEvent } from './audit-event.mapping';
import { expressionFor } from './fhir-mapping';
import { auditEvent, provenance } from '../../testing/fhir.factories';
import { mapProvenance } from './provenance.mapping';

const recorded = '2025-01-10T09:30:00.000Z';

describe('mapAuditEvent', () => {
  it('maps presented to output.presented: entity → outputId, agent → professional, source.site → site, recorded → occurredAt', () => {
    expect(mapAuditEvent(auditEvent('out-abc-1', 'presented', recorded))).toMatchObject({
      ok: true,
      kind: 'output.presented',
      body: { outputId: 'out-abc-1', professional: nurse, site: 'ward-7', occurredAt: recorded },
    });
  });

  it('maps an action code to output.acted-on with the review period as duration and the entity detail as rationale', () => {
    expect(mapAuditEvent(auditEvent('out-abc-1', 'escalated', recorded))).toMatchObject({
      ok: true,
      kind: 'output.acted-on',
      body: {
        outputId: 'out-abc-1',
        professional: nurse,
        action: 'escalated',
        rationale: 'Agreed with the score.',
        reviewDurationSeconds: 95,
        occurredAt: recorded,
      },
    });
  });

  it.each([
    [
      'a Patient entity',
      (r: ReturnType<typeof auditEvent>) => r.entity.push({ what: { reference: 'Patient/123' } }),
      'invalid',
      'AuditEvent.entity[1].what.reference',
    ],
    [
      'a non-pseudonym subject',
      (r: ReturnType<typeof auditEvent>) => r.entity.push({ what: { identifier: { system: 'urn:aal:pseudonym', value: 'Jane Doe' } } }),
      'invalid',
      'AuditEvent.entity[1].what.identifier.value',
    ],
    [
      'a Practitioner reference as agent',
      (r: ReturnType<typeof auditEvent>) => (r.agent[0]!.who = { reference: 'Practitioner/7' }),
      'not-supported',
      'AuditEvent.agent[0].who.reference',
    ],
    [
      'an unknown action',
      (r: ReturnType<typeof auditEvent>) => (r.subtype = [{ system: 'urn:aal:usage-action', code: 'printed' }]),
      'not-supported',
      'AuditEvent.subtype',
    ],
    [
      'a generation',
      (r: ReturnType<typeof auditEvent>) => (r.subtype = [{ system: 'urn:aal:usage-action', code: 'generated' }]),
      'not-supported',
      'AuditEvent.subtype',
    ],
    [
      'no recorded time',
      (r: ReturnType<typeof auditEvent>) => ((r as { recorded?: string }).recorded = undefined),
      'required',
      'AuditEvent.recorded',
    ],
    ['a date without time', (r: ReturnType<typeof auditEvent>) => (r.recorded = '2025-01-10'), 'invalid', 'AuditEvent.recorded'],
  ])('refuses %s, naming the element', (_, change, code, expression) => {
    const resource = auditEvent('out-abc-1', 'presented', recorded);
    change(resource);
    expect(mapAuditEvent(resource)).toEqual({
      ok: false,
      issues: [expect.objectContaining({ severity: 'error', code, expression: [expression] })],
    });
  });

  it('refuses a resource of another type', () => {
    expect(mapAuditEvent({ resourceType: 'Patient' })).toMatchObject({
      ok: false,
      issues: [{ code: 'invalid', expression: ['AuditEvent.resourceType'] }],
    });
  });
});

describe('mapProvenance', () => {
  it('maps target, activity, agent, occurredPeriod and reason to output.acted-on', () => {
    expect(mapProvenance(provenance('out-abc-1', 'modified', recorded))).toMatchObject({
      ok: true,
      kind: 'output.acted-on',
      body: {
        outputId: 'out-abc-1',
        professional: nurse,
        action: 'modified',
        rationale: 'Lactate normal; dehydration.',
        reviewDurationSeconds: 95,
        occurredAt: recorded,
      },
    });
  });

  it('refuses a source entity naming another output, a non-author agent and a missing review period', () => {
    const resource = provenance('out-abc-1', 'accepted', recorded) as Record<string, unknown> & ReturnType<typeof provenance>;
    resource.entity = [{ role: 'source', what: { identifier: { system: 'urn:aal:output-id', value: 'out-other-2' } } }];
    resource.agent[0]!.type = { coding: [{ code: 'informant' }] };
    Reflect.deleteProperty(resource, 'occurredPeriod');
    const mapped = mapProvenance(resource);
    expect(mapped.ok).toBe(false);
    if (mapped.ok) return;
    expect(mapped.issues.map((i) => [i.code, i.expression[0]])).toEqual([
      ['not-supported', 'Provenance.agent[0].type'],
      ['invalid', 'Provenance.entity[0].what.identifier.value'],
      ['required', 'Provenance.occurredPeriod'],
    ]);
  });
});

describe('expressionFor', () => {
  it('uses the longest mapped prefix of a body pointer', () => {
    const map = { '/professional': 'X.agent[0]', '/professional/role': 'X.agent[0].role' };
    expect(expressionFor('/professional/role', map, 'X')).toBe('X.agent[0].role');
    expect(expressionFor('/professional/personId', map, 'X')).toBe('X.agent[0]');
    expect(expressionFor('/site', map, 'X')).toBe('X');
  });
});
