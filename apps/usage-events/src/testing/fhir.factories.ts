import { nurse } from './usage.factories';
import { OUTPUT_ID_SYSTEM, PSEUDONYM_SYSTEM, USAGE_ACTION_SYSTEM } from '../fhir/domain/fhir-mapping';

/** Test data: FHIR R4 resources as a clinical system would send them. */

type Agent = { who: unknown; role?: unknown; type?: unknown; requestor?: boolean };

export function auditEvent(outputId: string, code: string, recorded: string) {
  const start = new Date(Date.parse(recorded) - 95_000).toISOString();
  return {
    resourceType: 'AuditEvent',
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
    subtype: [{ system: USAGE_ACTION_SYSTEM, code }],
    action: 'E',
    period: { start, end: recorded },
    recorded,
    agent: [
      {
        who: { identifier: { system: PSEUDONYM_SYSTEM, value: nurse.personId } },
        role: [{ coding: [{ code: nurse.role }] }],
        requestor: true,
      },
    ] as Agent[],
    source: { site: 'ward-7', observer: { display: 'EPR bridge' } },
    entity: [
      {
        what: { identifier: { system: OUTPUT_ID_SYSTEM, value: outputId } },
        detail: [{ type: 'rationale', valueString: 'Agreed with the score.' }],
      },
    ] as Array<Record<string, unknown>>,
  };
}

export function provenance(outputId: string, code: string, recorded: string) {
  const start = new Date(Date.parse(recorded) - 95_000).toISOString();
  return {
    resourceType: 'Provenance',
    target: [{ identifier: { system: OUTPUT_ID_SYSTEM, value: outputId } }],
    occurredPeriod: { start, end: recorded },
    recorded,
    activity: { coding: [{ system: USAGE_ACTION_SYSTEM, code }] },
    reason: [{ text: 'Lactate normal; dehydration.' }],
    agent: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' }] },
        role: [{ text: nurse.role }],
        who: { identifier: { system: PSEUDONYM_SYSTEM, value: nurse.personId } },
      },
    ] as Agent[],
    entity: [{ role: 'source', what: { identifier: { system: OUTPUT_ID_SYSTEM, value: outputId } } }],
  };
}
