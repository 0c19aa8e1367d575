import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { startTracing, stopTracing, tracingStarted } from './start-tracing';
import { contextOfCarrier, inSpan, projectTracer, SpanKind, traceCarrierOf } from './trace-spans';

afterEach(() => stopTracing());

describe('startTracing', () => {
  it('given no OTEL_EXPORTER_OTLP_ENDPOINT (or an empty one), when starting, then nothing is registered and no trace context is made', async () => {
    for (const env of [{}, { OTEL_EXPORTER_OTLP_ENDPOINT: '' }]) expect(startTracing('usage-events', env)).toBeNull();
    expect(tracingStarted()).toBe(false);
    await inSpan('outbox append t', { kind: SpanKind.INTERNAL }, async (span) => {
      expect(span.isRecording()).toBe(false);
      expect(traceCarrierOf()).toBeUndefined();
    });
  });

  it('given an exporter, when a span runs, then its trace context is carried, continued elsewhere, and exported as the service', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing('usage-events', { OTEL_SERVICE_NAME: 'usage-events-a' }, exporter)!;
    const carried = await inSpan('outbox append t', { kind: SpanKind.INTERNAL }, async (span) => {
      expect(traceCarrierOf()).toEqual({ traceparent: `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01` });
      return traceCarrierOf()!;
    });
    const continued = projectTracer().startSpan('ledger append x', { kind: SpanKind.CONSUMER }, contextOfCarrier(carried));
    continued.end();
    await tracing.provider.forceFlush();
    const [append, ledger] = exporter.getFinishedSpans();
    expect(append!.resource.attributes['service.name']).toBe('usage-events-a');
    expect(ledger!.spanContext().traceId).toBe(append!.spanContext().traceId);
    expect(ledger!.parentSpanContext?.spanId).toBe(append!.spanContext().spanId);
  });

  it('given a failing piece of work, when it runs in a span, then the span is marked failed and the error goes on', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing('ledger', {}, exporter)!;
    await expect(inSpan('x', {}, async () => Promise.reject(new Error('broker down')))).rejects.toThrow('broker down');
    await tracing.provider.forceFlush();
    expect(exporter.getFinishedSpans()[0]!.status).toEqual({ code: 2, message: 'broker down' });
  });
});
