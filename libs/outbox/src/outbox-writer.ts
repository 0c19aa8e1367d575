import { toBinaryMessage, withTraceContext, type CloudEvent } from '@aal/contracts';
import { signEvent, signEventBatch, SIGNATURE_HEADER, type EventSigningKey } from '@aal/ledger-core';
import { inSpan, SpanKind, traceCarrierOf } from '@aal/telemetry';
import type { EntityManager } from 'typeorm';

/**
 * Appends events to the outbox inside the caller's transaction, so state and events commit or
 * roll back together. Rows are written in the order given: per-aggregate order on Kafka follows.
 * Each message is stored exactly as it will be published, signed with the service's key
 * (`aal_signature`), so the relay only copies it to Kafka. The events of one call are signed
 * together (`signEventBatch`: one Ed25519 signature, an inclusion path per event). It runs in an `outbox append` span,
 * whose trace context each event carries (the distributed-tracing extension, set before signing)
 * when tracing is on.
 */
export async function appendToOutbox(
  manager: EntityManager,
  schema: string,
  topic: string,
  events: readonly CloudEvent<unknown>[],
  signingKey: EventSigningKey,
): Promise<void> {
  if (events.length === 0) return;
  await inSpan(`outbox append ${topic}`, outboxSpanOptions(topic, events.length), async () => {
    const trace = traceCarrierOf();
    const messages = signedMessages(
      events.map((event) => toBinaryMessage(withTraceContext(event, trace))),
      signingKey,
    );
    await manager.query(
      `INSERT INTO ${schema}.outbox (event_id, topic, message_key, headers, payload)
       SELECT e.event_id, $1, e.message_key, e.headers, e.payload
         FROM unnest($2::uuid[], $3::text[], $4::jsonb[], $5::text[]) WITH ORDINALITY
           AS e(event_id, message_key, headers, payload, ord)
        ORDER BY e.ord`,
      [
        topic,
        events.map((e) => e.id),
        messages.map((m) => m.key),
        messages.map((m) => JSON.stringify(m.headers)),
        messages.map((m) => m.value),
      ],
    );
  });
}

function outboxSpanOptions(topic: string, count: number) {
  return { kind: SpanKind.INTERNAL, attributes: { 'messaging.destination.name': topic, 'messaging.batch.message_count': count } };
}

/** The messages with their `aal_signature` headers: one batch signature over them all. */
export function signedMessages<M extends { headers: Record<string, string>; value: string }>(
  messages: readonly M[],
  signingKey: EventSigningKey,
): M[] {
  const signatures = signEventBatch(messages, signingKey);
  return messages.map((m, i) => ({ ...m, headers: { ...m.headers, [SIGNATURE_HEADER]: signatures[i]! } }));
}

/** The message with its `aal_signature` header over its CloudEvents headers and value. */
export function signedMessage<M extends { headers: Record<string, string>; value: string }>(message: M, signingKey: EventSigningKey): M {
  return { ...message, headers: { ...message.headers, [SIGNATURE_HEADER]: signEvent(message.headers, message.value, signingKey) } };
}
