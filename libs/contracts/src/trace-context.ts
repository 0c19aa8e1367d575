import { Type } from '@sinclair/typebox';

/*
 * The CloudEvents Distributed Tracing extension (cloudevents/spec, extensions/distributed-tracing.md):
 * `traceparent` and `tracestate` carry the W3C Trace Context (https://www.w3.org/TR/trace-context/)
 * of the work that produced the event, so one trace runs from a producer's HTTP request through its
 * outbox and Kafka into the ledger's append. Both are optional: absent when tracing is off. As
 * `ce_*` headers they are covered by the event signature and recorded with the entry, like every
 * other attribute.
 */

/** W3C `traceparent`, version 00: trace id and parent span id in lowercase hex, neither all zeros, then the flags. */
export const TRACEPARENT_PATTERN = '^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$';

/**
 * W3C `tracestate`: up to 32 comma-separated `key=value` members, keys of lowercase letters, digits
 * and `_-*\/@`, values of printable ASCII other than `,` and `=` (at most 512 characters in all, as
 * the recommendation lets a vendor cut it).
 */
export const TRACESTATE_PATTERN =
  '^[a-z0-9][_0-9a-z*/@-]{0,255}=[\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e]' +
  '( *, *[a-z0-9][_0-9a-z*/@-]{0,255}=[\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e]){0,31}$';

/** The extension's attributes, as members of the CloudEvents envelope schema. */
export const TraceContextAttributes = {
  traceparent: Type.Optional(Type.String({ maxLength: 55, pattern: TRACEPARENT_PATTERN })),
  tracestate: Type.Optional(Type.String({ minLength: 1, maxLength: 512, pattern: TRACESTATE_PATTERN })),
};

/** The extension's attribute names, in the order their `ce_` headers are written. */
export const TRACE_CONTEXT_ATTRIBUTES = ['traceparent', 'tracestate'] as const;

/** A W3C trace context as the extension carries it. */
export interface TraceContext {
  readonly traceparent: string;
  readonly tracestate?: string;
}

/**
 * The event with `trace` as its distributed-tracing attributes (none when `trace` is undefined);
 * a producer calls this before signing, so the signature covers them.
 */
export function withTraceContext<E extends object>(event: E, trace: TraceContext | undefined): E {
  if (trace === undefined) return event;
  return { ...event, traceparent: trace.traceparent, ...(trace.tracestate ? { tracestate: trace.tracestate } : {}) };
}

/** The event's trace context, if it carries one. */
export function traceContextOf(event: { readonly traceparent?: string; readonly tracestate?: string }): TraceContext | undefined {
  if (event.traceparent === undefined) return undefined;
  return event.tracestate === undefined
    ? { traceparent: event.traceparent }
    : { traceparent: event.traceparent, tracestate: event.tracestate };
}
