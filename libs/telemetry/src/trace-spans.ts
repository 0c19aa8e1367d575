import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Context,
  type Link,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';

export { ROOT_CONTEXT, SpanKind, type Link, type Span } from '@opentelemetry/api';

/** The tracer of the project's own spans (outbox, relay, ledger intake); a no-op one while tracing is off. */
export function projectTracer(): Tracer {
  return trace.getTracer('ai-accountability-ledger');
}

/** A W3C trace context as a carrier holds it (the CloudEvents distributed-tracing extension's shape). */
export interface TraceCarrier {
  readonly traceparent: string;
  readonly tracestate?: string;
}

/**
 * The W3C trace context of `ctx` (the active one by default), or undefined when there is none:
 * always undefined while tracing is off, since the no-op propagator writes nothing.
 */
export function traceCarrierOf(ctx: Context = context.active()): TraceCarrier | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  const traceparent = carrier['traceparent'];
  if (traceparent === undefined) return undefined;
  const tracestate = carrier['tracestate'];
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

/** The context a carried trace context continues (the root context when there is none). */
export function contextOfCarrier(carrier: { readonly traceparent?: string; readonly tracestate?: string } | undefined): Context {
  if (carrier?.traceparent === undefined) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/**
 * Runs `work` inside a new active span of the project's tracer (a child of `parent`, the active
 * context by default), records a thrown error on it, and ends it when `work` settles.
 */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>, parent?: Context): Promise<T> {
  return projectTracer().startActiveSpan(name, options, parent ?? context.active(), async (span) => {
    try {
      return await work(span);
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Marks `span` failed with `err` (its message as the status, the exception as an event). */
export function failSpan(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/** The span active in `ctx` as a link (none when there is no span), to tie a batch's work to its poll. */
export function linkToActive(ctx: Context = context.active()): Link[] {
  const span = trace.getSpan(ctx);
  return span?.isRecording() ? [{ context: span.spanContext() }] : [];
}
