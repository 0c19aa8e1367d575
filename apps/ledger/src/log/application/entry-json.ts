import type { WireEntry } from '@aal/verifier';
import type { RecordedEntry } from '../infrastructure/entries.repository';

/**
 * A log entry as every route and export serves it: what a verifier needs to re-hash it (headers and
 * value as recorded, the value as base64) and its leaf hash (hex), typed by the verifier's wire
 * format so the two cannot drift apart. Routes add their own members.
 */
export function entryJson(e: RecordedEntry): Omit<WireEntry, 'chainHash'> {
  return {
    seq: e.seq,
    recordedAt: e.recordedAt,
    topic: e.topic,
    partition: e.partition,
    offset: e.offset,
    headers: e.headers,
    value: e.value.toString('base64'),
    leafHash: e.leafHash.toString('hex'),
  };
}
