import type { EntityManager } from 'typeorm';
import { catalogueName, factKeys } from '../domain/fact';
import type { FactRow, FactsRepository, LogEntryRow } from '../infrastructure/facts.repository';

/** Entries read and applied per step. */
export const FACTS_PAGE = 500;

/** The facts projection's one rule: an entry becomes a fact with its parsed data and lookup keys. */
export function toFactRows(entries: readonly LogEntryRow[]): FactRow[] {
  return entries.map((e) => {
    const data = JSON.parse(e.value.toString('utf8')) as Record<string, unknown>;
    return { seq: e.seq, type: e.type, subject: e.subject, eventTime: e.eventTime, recordedAt: e.recordedAt, keys: factKeys(catalogueName(e.type), e.subject, data), data };
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
