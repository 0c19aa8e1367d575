import { CLOUDEVENTS_SPEC_VERSION, JSON_CONTENT_TYPE, type CloudEvent } from './cloud-event';
import { TRACE_CONTEXT_ATTRIBUTES, traceContextOf, type TraceContext } from './trace-context';
import type { ValidationIssue } from './validation';

/**
 * CloudEvents Kafka protocol binding, binary content mode: attributes travel as `ce_` headers,
 * `datacontenttype` as the `content-type` header, and the value is the JSON data alone.
 * Pure mapping; the Kafka client lives in libs/kafka.
 */
export const CE_HEADER_PREFIX = 'ce_';
export const CONTENT_TYPE_HEADER = 'content-type';

const ATTRIBUTE_HEADERS = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'dataschema'] as const;
/** The header names, built once: a decode reads each header once by a constant name (ledger rebuilds decode millions). */
const HEADER_OF = Object.fromEntries(ATTRIBUTE_HEADERS.map((name) => [name, `${CE_HEADER_PREFIX}${name}`])) as Record<
  (typeof ATTRIBUTE_HEADERS)[number],
  string
>;
const TRACE_HEADERS = TRACE_CONTEXT_ATTRIBUTES.map((name) => [name, `${CE_HEADER_PREFIX}${name}`] as const);

export interface BinaryMessage {
  /** Partition key: the aggregate the event is about, so per-aggregate order holds. */
  readonly key: string;
  readonly headers: Record<string, string>;
  readonly value: string;
}

export function toBinaryMessage(event: CloudEvent<unknown>): BinaryMessage {
  const headers: Record<string, string> = { [CONTENT_TYPE_HEADER]: event.datacontenttype };
  for (const name of ATTRIBUTE_HEADERS) headers[`${CE_HEADER_PREFIX}${name}`] = String(event[name]);
  for (const name of TRACE_CONTEXT_ATTRIBUTES) if (event[name] !== undefined) headers[`${CE_HEADER_PREFIX}${name}`] = event[name];
  return { key: event.subject, headers, value: JSON.stringify(event.data) };
}

export type DecodeResult = { ok: true; event: CloudEvent<unknown> } | { ok: false; issues: ValidationIssue[] };

/**
 * Reads a binary-mode message back into a CloudEvent. Structural problems (missing headers,
 * a value that is not JSON) are reported as issues, never thrown, so a poison message can be
 * dead-lettered with its reason.
 */
export function fromBinaryMessage(headers: Readonly<Record<string, string | undefined>>, value: Buffer | string | null): DecodeResult {
  const issues: ValidationIssue[] = [];
  const specversion = headers[HEADER_OF.specversion];
  const id = headers[HEADER_OF.id];
  const source = headers[HEADER_OF.source];
  const type = headers[HEADER_OF.type];
  const subject = headers[HEADER_OF.subject];
  const time = headers[HEADER_OF.time];
  const dataschema = headers[HEADER_OF.dataschema];
  if ([specversion, id, source, type, subject, time, dataschema].includes(undefined))
    for (const name of ATTRIBUTE_HEADERS)
      if (headers[HEADER_OF[name]] === undefined)
        issues.push({ pointer: `/headers/${HEADER_OF[name]}`, rule: 'required', message: 'is required' });
  const contentType = headers[CONTENT_TYPE_HEADER];
  if (contentType === undefined || contentType.split(';')[0]!.trim() !== JSON_CONTENT_TYPE) {
    issues.push({ pointer: `/headers/${CONTENT_TYPE_HEADER}`, rule: 'const', message: `must be ${JSON_CONTENT_TYPE}` });
  }
  if (specversion !== undefined && specversion !== CLOUDEVENTS_SPEC_VERSION) {
    issues.push({ pointer: `/headers/${HEADER_OF.specversion}`, rule: 'const', message: `must be ${CLOUDEVENTS_SPEC_VERSION}` });
  }
  let data: unknown;
  if (value === null) {
    issues.push({ pointer: '/value', rule: 'required', message: 'is empty (tombstones are not events)' });
  } else {
    try {
      data = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
    } catch (err) {
      issues.push({ pointer: '/value', rule: 'json', message: `is not JSON: ${(err as Error).message}` });
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    event: {
      specversion: CLOUDEVENTS_SPEC_VERSION,
      id: id!,
      source: source!,
      type: type!,
      subject: subject!,
      time: time!,
      datacontenttype: JSON_CONTENT_TYPE,
      dataschema: dataschema!,
      ...traceAttributes(headers),
      data,
    },
  };
}

/** The distributed-tracing attributes present among the `ce_` headers (trace-context.ts). */
function traceAttributes(headers: Readonly<Record<string, string | undefined>>): { traceparent?: string; tracestate?: string } {
  const found: { traceparent?: string; tracestate?: string } = {};
  for (const [name, header] of TRACE_HEADERS) {
    const value = headers[header];
    if (value !== undefined) found[name] = value;
  }
  return found;
}

/** The trace context a binary-mode message's `ce_traceparent` / `ce_tracestate` carry, read without decoding the rest. */
export function traceContextOfHeaders(headers: Readonly<Record<string, string | undefined>>): TraceContext | undefined {
  return traceContextOf(traceAttributes(headers));
}
