import type { ConsumedMessage, OutgoingMessage } from '@aal/kafka';
import type { Rejection } from '../domain/append-plan';

/** Dead-letter headers added to the original message; the original headers and value are kept. */
export const DEAD_LETTER_HEADERS = {
  /** Stable code (`RejectionCode`, e.g. `EVENT.SIGNATURE_INVALID`). */
  code: 'aal_dlq_code',
  /** One sentence saying exactly what was wrong. */
  reason: 'aal_dlq_reason',
  topic: 'aal_dlq_topic',
  partition: 'aal_dlq_partition',
  offset: 'aal_dlq_offset',
  rejectedAt: 'aal_dlq_rejected_at',
} as const;

export function deadLetterMessage(deadLetterTopic: string, rejection: Rejection, rejectedAt: string): OutgoingMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(rejection.headers)) if (value !== undefined) headers[name] = value;
  return {
    topic: deadLetterTopic,
    key: `${rejection.topic}/${rejection.partition}/${rejection.offset}`,
    headers: {
      ...headers,
      [DEAD_LETTER_HEADERS.code]: rejection.code,
      [DEAD_LETTER_HEADERS.reason]: rejection.reason,
      [DEAD_LETTER_HEADERS.topic]: rejection.topic,
      [DEAD_LETTER_HEADERS.partition]: String(rejection.partition),
      [DEAD_LETTER_HEADERS.offset]: rejection.offset,
      [DEAD_LETTER_HEADERS.rejectedAt]: rejectedAt,
    },
    value: rejection.value ? rejection.value.toString('utf8') : '',
  };
}

/** A dead letter as an operator triages it: where it came from, why it was refused, what it claims to be. */
export interface DeadLetter {
  /** Where it sits in the dead-letter topic: `<partition>:<offset>`, the handle `ledger redrive --offset` takes. */
  readonly at: string;
  readonly code: string;
  readonly reason: string;
  readonly rejectedAt: string;
  /** The message as the ledger read it. */
  readonly original: { readonly topic: string; readonly partition: number; readonly offset: string };
  /** The CloudEvents id, type and source it claims (unverified: it was refused). */
  readonly event: { readonly id?: string; readonly type?: string; readonly source?: string };
}

const DEAD_LETTER_HEADER_NAMES: ReadonlySet<string> = new Set(Object.values(DEAD_LETTER_HEADERS));

/** Reads a message of the dead-letter topic; a message without the dead-letter headers is not one. */
export function readDeadLetter(message: ConsumedMessage): DeadLetter | null {
  const h = message.headers;
  const code = h[DEAD_LETTER_HEADERS.code];
  const topic = h[DEAD_LETTER_HEADERS.topic];
  if (code === undefined || topic === undefined) return null;
  return {
    at: `${message.partition}:${message.offset}`,
    code,
    reason: h[DEAD_LETTER_HEADERS.reason] ?? '',
    rejectedAt: h[DEAD_LETTER_HEADERS.rejectedAt] ?? '',
    original: { topic, partition: Number(h[DEAD_LETTER_HEADERS.partition]), offset: h[DEAD_LETTER_HEADERS.offset] ?? '' },
    event: { id: h['ce_id'], type: h['ce_type'], source: h['ce_source'] },
  };
}

/**
 * The original message again, for re-driving it to the topic it was read from once its cause is
 * mended (a producer key the ledger did not yet trust, say): the same value and headers, signature
 * included, so the ledger checks it as it would have the first time; keyed by its subject, as the
 * Kafka binding keys every event. Returns why not when the recorded topic is not one the ledger
 * reads (a dead letter cannot be used to write anywhere else).
 */
export function redriveMessage(message: ConsumedMessage, eventTopics: readonly string[]): OutgoingMessage | { readonly refused: string } {
  const deadLetter = readDeadLetter(message);
  if (!deadLetter)
    return { refused: `${message.partition}:${message.offset} is not a dead letter (no ${DEAD_LETTER_HEADERS.code} header)` };
  if (!eventTopics.includes(deadLetter.original.topic))
    return { refused: `${deadLetter.at} came from ${deadLetter.original.topic}, which is not an event topic this ledger reads` };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers))
    if (value !== undefined && !DEAD_LETTER_HEADER_NAMES.has(name)) headers[name] = value;
  return { topic: deadLetter.original.topic, key: headers['ce_subject'] ?? '', headers, value: message.value?.toString('utf8') ?? '' };
}
