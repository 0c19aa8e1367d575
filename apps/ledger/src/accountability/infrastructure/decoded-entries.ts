import { decodeFactEntry, type DecodedFact, type RawEntry } from '@aal/accountability';

/**
 * Decoding an entry (UTF-8, JSON, the catalogue's schema) is a pure function of its seq, recorded
 * time, headers and value bytes, and every answer about a deployment decodes the same deployment
 * and model entries again (its training records alone are one per professional: hundreds). This
 * keeps the facts decoded from valid entries, by seq, together with the exact content they were
 * decoded from. A hit requires the content read now to equal that content byte for byte, so an
 * entry changed in the database is decoded afresh (and refused when it no longer validates): the
 * answer is still a function of what the log holds now. Bounded; the least recently used leave first.
 */
export class DecodedEntries {
  private readonly kept = new Map<number, { readonly entry: RawEntry; readonly decoded: DecodedFact }>();

  constructor(private readonly capacity: number) {}

  decode(entry: RawEntry): DecodedFact {
    const hit = this.kept.get(entry.seq);
    if (hit && sameContent(hit.entry, entry)) {
      this.kept.delete(entry.seq);
      this.kept.set(entry.seq, hit);
      return hit.decoded;
    }
    const decoded = decodeFactEntry(entry);
    if (!decoded.ok) return decoded;
    this.kept.delete(entry.seq);
    this.kept.set(entry.seq, { entry, decoded });
    if (this.kept.size > this.capacity) this.kept.delete(this.kept.keys().next().value!);
    return decoded;
  }
}

function sameContent(a: RawEntry, b: RawEntry): boolean {
  if (a.recordedAt !== b.recordedAt || Buffer.compare(a.value, b.value) !== 0) return false;
  const keys = Object.keys(a.headers);
  if (keys.length !== Object.keys(b.headers).length) return false;
  for (const key of keys) if (a.headers[key] !== b.headers[key]) return false;
  return true;
}
