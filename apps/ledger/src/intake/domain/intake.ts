import { fromBinaryMessage, findEventDefinition, formatIssues, validateEvent, type CloudEvent, type ProducerName } from '@aal/contracts';

/** A Kafka message as the intake sees it; no Kafka client types leak in here. */
export interface IncomingMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly value: Buffer | null;
}

export type IntakeDecision =
  | { readonly kind: 'accept'; readonly message: IncomingMessage; readonly event: CloudEvent<unknown>; readonly headers: Record<string, string> }
  | { readonly kind: 'reject'; readonly message: IncomingMessage; readonly reason: string };

/**
 * Decides whether one message may enter the log: a well-formed CloudEvent in binary mode, of a
 * catalogued type at a known version, whose data passes its schema, arriving on the topic of the
 * service that owns that type, keyed by its subject. Never throws: a refusal carries its reason.
 */
export function examine(message: IncomingMessage, producerOfTopic: ProducerName | undefined): IntakeDecision {
  const reject = (reason: string): IntakeDecision => ({ kind: 'reject', message, reason });
  const decoded = fromBinaryMessage(message.headers, message.value);
  if (!decoded.ok) return reject(`malformed CloudEvent: ${formatIssues(decoded.issues)}`);
  const issues = validateEvent(decoded.event);
  if (issues.length > 0) return reject(`invalid ${decoded.event.type}: ${formatIssues(issues)}`);
  const definition = findEventDefinition(decoded.event.type)!;
  if (producerOfTopic !== definition.producer) {
    return reject(`${definition.type} is emitted only by ${definition.producer}, but arrived on ${message.topic}`);
  }
  if (message.key !== decoded.event.subject) {
    return reject(`message key "${message.key ?? ''}" differs from the event subject "${decoded.event.subject}"`);
  }
  return { kind: 'accept', message, event: decoded.event, headers: recordedHeaders(message.headers) };
}

/** Keeps exactly the headers that define the event (CloudEvents attributes and content type). */
function recordedHeaders(headers: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && (name.startsWith('ce_') || name === 'content-type')) kept[name] = value;
  }
  return kept;
}
