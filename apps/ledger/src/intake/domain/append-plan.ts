import {
  eventContentHash,
  signedEventHeaders,
  type AcceptedEvent,
  type AdmissionDecision,
  type IncomingMessage,
  type RejectionCode,
} from '@aal/ledger-core';
import type { NewEntry } from '../../log/domain/new-entry';
import { deduplicate, type KnownEvent } from './deduplication';

/** A message the ledger refused: recorded in the rejections table and sent to the dead-letter topic. */
export interface Rejection {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly code: RejectionCode;
  readonly reason: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly value: Buffer | null;
}

/** What the fresh part of a batch does to the log, decided before anything is written. */
export interface AppendPlan {
  /** New events as entries, numbered on from the log's head. */
  readonly entries: readonly NewEntry[];
  /** Refused messages (by admission, or as conflicting with a recorded event), in offset order. */
  readonly rejections: readonly Rejection[];
  /** Events already recorded with the same content: they make no entry. */
  readonly duplicates: number;
  /** The partition's next offset once the plan is carried out. */
  readonly nextOffset: bigint;
}

/** The identities to look up in the log before planning: those of the accepted events. */
export function acceptedEvents(decisions: readonly AdmissionDecision[]): AcceptedEvent[] {
  return decisions.filter((d): d is AcceptedEvent => d.kind === 'accept');
}

/**
 * Plans the append of a batch's fresh messages (`decisions`, one per message, in offset order; at
 * least one), given the recorded events among them (`known`), the log's next seq and the time every
 * new entry is recorded at. Pure: the caller reads `known` and the head, and writes the plan, in
 * one transaction under the append lock.
 */
export function planAppend(
  decisions: readonly AdmissionDecision[],
  known: ReadonlyMap<string, KnownEvent>,
  nextSeq: number,
  recordedAt: string,
): AppendPlan {
  const last = decisions[decisions.length - 1];
  if (!last) throw new Error('planAppend needs at least one message');
  // The content hash covers the event, not its signature: the same event signed again (a key
  // rotated between a send and its retry) is still a duplicate.
  const outcomes = deduplicate(
    acceptedEvents(decisions),
    known,
    (d) => d.contentHash ?? eventContentHash(signedEventHeaders(d.headers), d.message.value!),
    nextSeq,
  );
  const rejections = [
    ...decisions.flatMap((d) => (d.kind === 'reject' ? [rejection(d.message, d.code, d.reason)] : [])),
    ...outcomes.flatMap((o) => (o.kind === 'conflict' ? [rejection(o.decision.message, 'EVENT.CONFLICT', o.reason)] : [])),
  ].sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
  const entries = outcomes.flatMap((o): NewEntry[] =>
    o.kind === 'new'
      ? [
          {
            seq: o.seq,
            recordedAt,
            topic: o.decision.message.topic,
            partition: o.decision.message.partition,
            offset: o.decision.message.offset,
            headers: o.decision.headers,
            value: o.decision.message.value!,
            eventId: o.decision.event.id,
            source: o.decision.event.source,
            type: o.decision.event.type,
            subject: o.decision.event.subject,
            eventTime: o.decision.event.time,
            contentHash: o.contentHash,
          },
        ]
      : [],
  );
  return {
    entries,
    rejections,
    duplicates: outcomes.filter((o) => o.kind === 'duplicate').length,
    nextOffset: BigInt(last.message.offset) + 1n,
  };
}

function rejection(message: IncomingMessage, code: RejectionCode, reason: string): Rejection {
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    code,
    reason,
    headers: message.headers,
    value: message.value,
  };
}
