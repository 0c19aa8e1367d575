import type { AdmissionDecision } from '@aal/ledger-core';

export interface KnownEvent {
  readonly seq: number;
  readonly contentHash: Buffer;
}

export type DedupOutcome =
  | {
      readonly kind: 'new';
      readonly seq: number;
      readonly decision: Extract<AdmissionDecision, { kind: 'accept' }>;
      readonly contentHash: Buffer;
    }
  | { readonly kind: 'duplicate'; readonly seq: number }
  | { readonly kind: 'conflict'; readonly decision: Extract<AdmissionDecision, { kind: 'accept' }>; readonly reason: string };

export function eventKey(source: string, id: string): string {
  return `${source}\u0000${id}`;
}

/**
 * An event is identified by (source, id). A redelivery of identical content is a duplicate and
 * makes no entry; the same identity with different content is a conflict that goes to the
 * dead-letter topic, never silently dropped. Duplicates inside one batch are handled the same way.
 * New events are numbered from `nextSeq` in the order given.
 */
export function deduplicate(
  accepted: ReadonlyArray<Extract<AdmissionDecision, { kind: 'accept' }>>,
  known: ReadonlyMap<string, KnownEvent>,
  contentHashOf: (decision: Extract<AdmissionDecision, { kind: 'accept' }>) => Buffer,
  nextSeq: number,
): DedupOutcome[] {
  const seen = new Map<string, KnownEvent>(known);
  let seq = nextSeq;
  return accepted.map((decision) => {
    const key = eventKey(decision.event.source, decision.event.id);
    const contentHash = contentHashOf(decision);
    const previous = seen.get(key);
    if (!previous) {
      const assigned = seq++;
      seen.set(key, { seq: assigned, contentHash });
      return { kind: 'new', seq: assigned, decision, contentHash };
    }
    if (previous.contentHash.equals(contentHash)) return { kind: 'duplicate', seq: previous.seq };
    return {
      kind: 'conflict',
      decision,
      reason: `event id ${decision.event.id} from ${decision.event.source} was already recorded at ledger seq ${previous.seq} with different content`,
    };
  });
}
