import { Type, type Static } from '@sinclair/typebox';
import { findEventDefinition } from './catalogue';
import { STORABLE_TEXT_PATTERN } from './common.schema';
import type { EventDefinition, EventData } from './event-definition';
import { TraceContextAttributes } from './trace-context';
import { validateAgainst, type ValidationIssue } from './validation';

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const JSON_CONTENT_TYPE = 'application/json';

/**
 * The CloudEvents 1.0 context attributes this system always sets (required here), and the optional
 * distributed-tracing extension (trace-context.ts).
 */
export const CloudEventAttributes = Type.Object(
  {
    specversion: Type.Literal(CLOUDEVENTS_SPEC_VERSION),
    id: Type.String({ minLength: 1, maxLength: 200, pattern: STORABLE_TEXT_PATTERN }),
    source: Type.String({ minLength: 1, maxLength: 500, format: 'uri-reference' }),
    type: Type.String({ pattern: '^aal\\.[a-z.-]+\\.v[0-9]+$' }),
    subject: Type.String({ minLength: 1, maxLength: 300, pattern: STORABLE_TEXT_PATTERN }),
    time: Type.String({ format: 'date-time' }),
    datacontenttype: Type.Literal(JSON_CONTENT_TYPE),
    dataschema: Type.String({ minLength: 1, maxLength: 300, format: 'uri' }),
    ...TraceContextAttributes,
  },
  { additionalProperties: false },
);
export type CloudEventAttributes = Static<typeof CloudEventAttributes>;

/** A whole CloudEvent, its data unchecked: the schema of an aggregate's event history in API answers. */
export const CloudEventSchema = Type.Object({ ...CloudEventAttributes.properties, data: Type.Unknown() }, { additionalProperties: false });

export interface CloudEvent<D = unknown> extends CloudEventAttributes {
  readonly data: D;
}

/**
 * Builds a CloudEvent for `definition` and validates it fully. Producers call this before they
 * write the outbox row, so an event that would be refused by the ledger is never stored.
 * Id and time come in from the caller (never from a clock in here).
 */
export function buildEvent<D extends EventDefinition>(
  definition: D,
  data: EventData<D>,
  meta: { id: string; source: string; time: string },
): CloudEvent<EventData<D>> {
  const event: CloudEvent<EventData<D>> = {
    specversion: CLOUDEVENTS_SPEC_VERSION,
    id: meta.id,
    source: meta.source,
    type: definition.type,
    subject: definition.subjectOf(data as never),
    time: meta.time,
    datacontenttype: JSON_CONTENT_TYPE,
    dataschema: definition.dataschema,
    data,
  };
  const issues = validateEvent(event);
  if (issues.length > 0) throw new ContractViolation(definition.type, issues);
  return event;
}

/** Thrown when code tries to emit an event that breaks its own contract: a programming error. */
export class ContractViolation extends Error {
  readonly code = 'CONTRACT.VIOLATION';
  constructor(
    readonly eventType: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    super(`${eventType} breaks its contract: ${issues.map((i) => `${i.pointer} ${i.message}`).join('; ')}`);
  }
}

/**
 * Full check of an event against the catalogue: envelope attributes, a known type at a known
 * version, the matching `dataschema`, the data schema, and `subject` derived from the data.
 * Returns every issue found; an empty list means the event is acceptable.
 */
export function validateEvent(event: CloudEvent<unknown>): ValidationIssue[] {
  const { data, ...attributes } = event;
  const issues = validateAgainst(CloudEventAttributes, attributes);
  if (attributes.tracestate !== undefined && attributes.traceparent === undefined) {
    issues.push({ pointer: '/tracestate', rule: 'dependencies', message: 'is set without traceparent' });
  }
  const definition = findEventDefinition(event.type);
  if (!definition) {
    issues.push({ pointer: '/type', rule: 'catalogue', message: `unknown event type "${String(event.type)}"` });
    return issues;
  }
  if (event.dataschema !== definition.dataschema) {
    issues.push({ pointer: '/dataschema', rule: 'catalogue', message: `must be "${definition.dataschema}" for ${definition.type}` });
  }
  const dataIssues = validateAgainst(definition.schema, data, '/data');
  issues.push(...dataIssues);
  if (dataIssues.length === 0) {
    const expected = definition.subjectOf(data as never);
    if (event.subject !== expected) {
      issues.push({ pointer: '/subject', rule: 'catalogue', message: `must be "${expected}", the aggregate named by the data` });
    }
  }
  return issues;
}
