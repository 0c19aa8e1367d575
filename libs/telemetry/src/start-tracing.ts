import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';

/** What a started tracing set-up holds, to flush and stop it. */
export interface Tracing {
  readonly provider: TracerProvider;
  /** Removes the instrumentations' patches (tests only: a service keeps them until it exits). */
  readonly unpatch: () => void;
}

let started: Tracing | null = null;

/**
 * Starts OpenTelemetry tracing for `service` when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (and not
 * empty), otherwise does nothing and answers null: then the API stays the no-op one, no module is
 * patched and events carry no trace context. MUST run before `http`, `express`, `pg` and `kafkajs`
 * are first required (each service's main.ts imports its `tracing.ts` first), or their spans are
 * missing. Spans go in batches to the OTLP/HTTP exporter, which reads the standard
 * `OTEL_EXPORTER_OTLP_*` variables itself; `OTEL_SERVICE_NAME` overrides the service name and
 * `OTEL_BSP_SCHEDULE_DELAY` the export delay (ms, default 5000). `exporter` replaces the OTLP
 * exporter (tests). Starting twice answers the first set-up.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env, exporter?: SpanExporter): Tracing | null {
  if (started) return started;
  if (!env['OTEL_EXPORTER_OTLP_ENDPOINT'] && !exporter) return null;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const delay = Number(env['OTEL_BSP_SCHEDULE_DELAY']);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': env['OTEL_SERVICE_NAME'] || service }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: exporter ?? new OTLPTraceExporter(),
        ...(Number.isFinite(delay) && delay > 0 ? { scheduledDelayMillis: delay } : {}),
      }),
    ],
  });
  trace.setGlobalTracerProvider(provider);
  const unpatch = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Probes and scrapes every few seconds would bury the requests worth reading.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(health|metrics)(\/|\?|$)/.test(req.url ?? '') }),
      new ExpressInstrumentation(),
      // Only queries inside a traced piece of work: the relay's and projections' idle polls are not.
      new PgInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation(),
    ],
  });
  started = { provider, unpatch };
  return started;
}

/**
 * Exports the spans still buffered and stops the provider; a service calls it on shutdown (the
 * metrics module's shutdown hook), so the last requests before SIGTERM are not lost. Does nothing
 * when tracing is off.
 */
export async function stopTracing(): Promise<void> {
  const tracing = started;
  if (!tracing) return;
  started = null;
  await tracing.provider.shutdown();
  tracing.unpatch();
  trace.disable();
  propagation.disable();
  context.disable();
}

/** Whether `startTracing` started tracing in this process. */
export function tracingStarted(): boolean {
  return started !== null;
}
