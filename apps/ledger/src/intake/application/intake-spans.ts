import { traceContextOf } from '@aal/contracts';
import type { AdmissionDecision } from '@aal/ledger-core';
import { contextOfCarrier, failSpan, linkToActive, projectTracer, SpanKind, type Span } from '@aal/telemetry';

/** What became of each message of a batch, by offset, once its transaction committed. */
export interface BatchOutcome {
  /** The seq of each new entry, by the offset of its message. */
  readonly appended: ReadonlyMap<string, number>;
  /** The code of each refusal, by offset (admission refusals and conflicts). */
  readonly rejected: ReadonlyMap<string, string>;
  /** The batch started beyond the stored position: nothing was applied, it is read again. */
  readonly readAgain: boolean;
}

/** The open spans of one batch's traced events; `end` closes them with what became of each. */
export interface AppendSpans {
  end(outcome: BatchOutcome | Error): void;
}

/**
 * A `ledger append <type>` consumer span for each admitted event of a batch that carries a trace
 * context (the distributed-tracing extension, covered by its signature), continuing the trace of
 * the request that produced it, and linked to the Kafka client's span of the batch. Only admitted
 * events: the trace context of a refused one is not trusted. No-ops while tracing is off.
 */
export function startAppendSpans(decisions: readonly AdmissionDecision[]): AppendSpans {
  const tracer = projectTracer();
  const links = linkToActive();
  const open: Array<{ offset: string; span: Span }> = [];
  for (const d of decisions) {
    if (d.kind !== 'accept') continue;
    const trace = traceContextOf(d.event);
    if (!trace) continue;
    const span = tracer.startSpan(
      `ledger append ${d.event.type}`,
      {
        kind: SpanKind.CONSUMER,
        links,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': d.message.topic,
          'messaging.destination.partition.id': String(d.message.partition),
          'messaging.kafka.offset': d.message.offset,
          'cloudevents.event_id': d.event.id,
          'cloudevents.event_source': d.event.source,
          'cloudevents.event_type': d.event.type,
        },
      },
      contextOfCarrier(trace),
    );
    open.push({ offset: d.message.offset, span });
  }
  return {
    end(outcome) {
      for (const { offset, span } of open) {
        if (outcome instanceof Error) {
          failSpan(span, outcome);
        } else {
          const seq = outcome.appended.get(offset);
          const code = outcome.rejected.get(offset);
          span.setAttribute('aal.ledger.outcome', outcomeName(outcome.readAgain, seq, code));
          if (seq !== undefined) span.setAttribute('aal.ledger.seq', seq);
          if (code !== undefined) span.setAttribute('aal.ledger.rejection_code', code);
        }
        span.end();
      }
    },
  };
}

/** `appended`, `rejected`, `read-again` (a batch beyond the stored position), or `already-recorded` (a duplicate or an offset applied before). */
function outcomeName(readAgain: boolean, seq: number | undefined, code: string | undefined): string {
  if (readAgain) return 'read-again';
  if (seq !== undefined) return 'appended';
  return code !== undefined ? 'rejected' : 'already-recorded';
}
