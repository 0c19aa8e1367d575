import { traceContextOfHeaders } from '@aal/contracts';
import { contextOfCarrier, failSpan, inSpan, projectTracer, ROOT_CONTEXT, SpanKind, type Span } from '@aal/telemetry';

/** An outbox row as the relay publishes it: its topic and stored headers. */
export interface PublishedRow {
  readonly topic: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Runs the relay's `publish` of `rows` traced: each row whose event carries a trace context
 * (`ce_traceparent`) gets an `outbox publish <topic>` producer span continuing that trace (the
 * request that wrote it), ended when Kafka acknowledged; the send itself runs in one
 * `outbox relay publish` span linked to them, under which the Kafka client's own spans fall.
 * With tracing off every span is a no-op.
 */
export async function publishTraced<T>(rows: readonly PublishedRow[], publish: () => Promise<T>): Promise<T> {
  const tracer = projectTracer();
  const perEvent: Span[] = rows.flatMap((row) => {
    const trace = traceContextOfHeaders(row.headers);
    if (!trace) return [];
    const span = tracer.startSpan(
      `outbox publish ${row.topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': row.topic,
          'cloudevents.event_id': row.headers['ce_id'] ?? '',
        },
      },
      contextOfCarrier(trace),
    );
    return [span];
  });
  const links = perEvent.filter((s) => s.isRecording()).map((s) => ({ context: s.spanContext() }));
  try {
    return await inSpan(
      'outbox relay publish',
      { kind: SpanKind.INTERNAL, links, attributes: { 'messaging.batch.message_count': rows.length } },
      publish,
      ROOT_CONTEXT,
    );
  } catch (err) {
    for (const span of perEvent) failSpan(span, err);
    throw err;
  } finally {
    for (const span of perEvent) span.end();
  }
}
