import type { OutgoingMessage } from '@aal/kafka';
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
