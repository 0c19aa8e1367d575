import { decodeFactEntry, factKeys } from '@aal/accountability';
import type { EntityManager } from 'typeorm';
import type { FactRow, FactsRepository, LogEntryRow } from '../infrastructure/facts.repository';

/** Entries read and applied per step. */
export const FACTS_PAGE = 500;

/**
 * The facts index's one rule: an entry is found under the keys its decoded event names. An entry
 * that does not decode (never for what the ledger appended) is indexed under no key, so no answer
 * is built from it; the self-audit and a log verify name it.
 */
export function toFactRows(entries: readonly LogEntryRow[]): FactRow[] {
  return entries.map((e) => {
    const decoded = decodeFactEntry(e);
    return { seq: e.seq, recordedAt: e.recordedAt, keys: decoded.ok ? factKeys(decoded.fact) : [] };
  });
}

/**
 * Applies one page of entries from the projection's own position; returns the next position, or
 * null when there was nothing to apply. With a manager it runs inside the caller's transaction
 * (a rebuild), without one each page commits on its own (the live projector).
 */
export async function applyNextPage(repository: FactsRepository, manager?: EntityManager): Promise<number | null> {
  const from = await repository.position(manager);
  const entries = await repository.entriesFrom(from, FACTS_PAGE, manager);
  if (entries.length === 0) return null;
  const next = entries[entries.length - 1]!.seq + 1;
  await repository.store(toFactRows(entries), next, manager);
  return next;
}
