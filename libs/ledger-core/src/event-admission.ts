import {
  fromBinaryMessage,
  findEventDefinition,
  formatIssues,
  isStorableText,
  validateEvent,
  type CloudEvent,
  type ProducerName,
} from '@aal/contracts';
import {
  emitterOfSource,
  SIGNATURE_HEADER,
  signedEventHeaders,
  verifyEventSignatureAsync,
  type BatchSignatureMemo,
  type EventKeySet,
} from './event-signature';

/*
 * Whether a consumed Kafka message is a genuine event of the producer whose topic it came from: the
 * one rule every consumer of producer topics applies (the ledger's intake, which dead-letters what
 * it refuses, and the producers' own projections of each other's events, which skip it), so a
 * forged event is refused everywhere for the same reason.
 */

/** A Kafka message as a consumer sees it; no Kafka client types leak in here. */
export interface IncomingMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly value: Buffer | null;
}

/**
 * Why a message was refused; stable, sent as the `aal_dlq_code` dead-letter header.
 * - `EVENT.MALFORMED`: not a binary-mode CloudEvent (headers missing, value not JSON, tombstone), or
 *   a header the entry would record holding U+0000 or an unpaired surrogate (unstorable in jsonb).
 * - `EVENT.INVALID`: an unknown type or data that breaks its schema.
 * - `EVENT.WRONG_TOPIC`: the type's producer does not own the topic it arrived on.
 * - `EVENT.KEY_MISMATCH`: the Kafka key is not the event's subject.
 * - `EVENT.UNKNOWN_SOURCE`: the `source` names no producer in the ledger's event key set.
 * - `EVENT.WRONG_PRODUCER`: the `source` names a producer that does not emit this type.
 * - `EVENT.UNSIGNED`: no `aal_signature` header.
 * - `EVENT.SIGNATURE_INVALID`: a signature that is malformed, of another algorithm, by a key not
 *   trusted for the producer, or that does not match the event.
 * - `EVENT.CONFLICT`: an event id already recorded from that source with other content.
 */
export type RejectionCode =
  | 'EVENT.MALFORMED'
  | 'EVENT.INVALID'
  | 'EVENT.WRONG_TOPIC'
  | 'EVENT.KEY_MISMATCH'
  | 'EVENT.UNKNOWN_SOURCE'
  | 'EVENT.WRONG_PRODUCER'
  | 'EVENT.UNSIGNED'
  | 'EVENT.SIGNATURE_INVALID'
  | 'EVENT.CONFLICT';

export type AdmissionDecision =
  | {
      readonly kind: 'accept';
      readonly message: IncomingMessage;
      readonly event: CloudEvent<unknown>;
      /** What the entry records: the signed headers (`ce_*`, `content-type`) and the signature. */
      readonly headers: Record<string, string>;
      /** The producer the event's source names, whose keys its signature must verify with. */
      readonly emitter: ProducerName;
      /** `eventContentHash` of the event, once its signature verified (the check computes it anyway). */
      readonly contentHash?: Buffer;
    }
  | { readonly kind: 'reject'; readonly message: IncomingMessage; readonly code: RejectionCode; readonly reason: string };

export type AcceptedEvent = Extract<AdmissionDecision, { kind: 'accept' }>;

/**
 * Decides whether one message may enter the log, short of its signature (see `authenticateEvent`): a
 * well-formed CloudEvent in binary mode, of a catalogued type at a known version, whose data
 * passes its schema, arriving on the topic of the service that owns that type, keyed by its
 * subject, from a source naming that same service, which the consumer has keys for. Never throws:
 * a refusal carries its code and reason.
 */
export function examineEvent(
  message: IncomingMessage,
  producerOfTopic: ProducerName | undefined,
  eventKeys: EventKeySet,
): AdmissionDecision {
  const reject = (code: RejectionCode, reason: string): AdmissionDecision => ({ kind: 'reject', message, code, reason });
  const decoded = fromBinaryMessage(message.headers, message.value);
  if (!decoded.ok) return reject('EVENT.MALFORMED', `malformed CloudEvent: ${formatIssues(decoded.issues)}`);
  const headers = recordedHeaders(message.headers);
  const unstorable = Object.entries(headers).filter(([name, value]) => !isStorableText(name) || !isStorableText(value));
  if (unstorable.length > 0) {
    return reject(
      'EVENT.MALFORMED',
      `malformed CloudEvent: ${unstorable.map(([name]) => `/headers/${name} holds U+0000 or an unpaired surrogate`).join('; ')}`,
    );
  }
  const issues = validateEvent(decoded.event);
  if (issues.length > 0) return reject('EVENT.INVALID', `invalid ${decoded.event.type}: ${formatIssues(issues)}`);
  const definition = findEventDefinition(decoded.event.type)!;
  if (producerOfTopic !== definition.producer) {
    return reject('EVENT.WRONG_TOPIC', `${definition.type} is emitted only by ${definition.producer}, but arrived on ${message.topic}`);
  }
  if (message.key !== decoded.event.subject) {
    return reject('EVENT.KEY_MISMATCH', `message key "${message.key ?? ''}" differs from the event subject "${decoded.event.subject}"`);
  }
  const emitter = emitterOfSource(decoded.event.source);
  if (emitter === undefined || !eventKeys.has(emitter)) {
    return reject('EVENT.UNKNOWN_SOURCE', `source "${decoded.event.source}" names no producer whose event keys are trusted here`);
  }
  if (emitter !== definition.producer) {
    return reject('EVENT.WRONG_PRODUCER', `${definition.type} is emitted only by ${definition.producer}, but its source names ${emitter}`);
  }
  return { kind: 'accept', message, event: decoded.event, headers, emitter: definition.producer };
}

/**
 * Checks an accepted event's signature against the keys of the producer its source names; a
 * refused decision, or one whose signature verifies, is returned as it is. The Ed25519 check runs
 * on the thread pool, so the event loop serves other partitions' batches meanwhile. A `memo` shared
 * by the events of one consumed batch checks each producer batch signature once.
 */
export async function authenticateEvent(
  decision: AdmissionDecision,
  eventKeys: EventKeySet,
  memo?: BatchSignatureMemo<Promise<boolean>>,
): Promise<AdmissionDecision> {
  if (decision.kind === 'reject') return decision;
  const keys = eventKeys.get(decision.emitter);
  if (!keys)
    return { kind: 'reject', message: decision.message, code: 'EVENT.UNKNOWN_SOURCE', reason: `no event keys for ${decision.emitter}` };
  const check = await verifyEventSignatureAsync(decision.headers, decision.message.value!, decision.headers[SIGNATURE_HEADER], keys, memo);
  if (check.ok) return { ...decision, contentHash: check.contentHash };
  return {
    kind: 'reject',
    message: decision.message,
    code: check.code,
    reason: `${check.reason} (${decision.emitter}, ${decision.event.source})`,
  };
}

/** Keeps exactly the headers that define the event (CloudEvents attributes and content type) and its signature. */
function recordedHeaders(headers: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const kept = signedEventHeaders(headers);
  const signature = headers[SIGNATURE_HEADER];
  if (signature !== undefined) kept[SIGNATURE_HEADER] = signature;
  return kept;
}
