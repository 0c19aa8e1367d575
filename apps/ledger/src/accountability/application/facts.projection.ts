import { decodeFactEntry, factKeys } from '@aal/accountability';
import type { DataSource, EntityManager } from 'typeorm';
import { FACTS_PROJECTION, type FactRow, type FactsRepository, type LogEntryRow } from '../infrastructure/facts.repository';
import { inLivePage, liveTarget, positionOf, type ProjectionTarget } from '../infrastructure/projection-target';

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
 * Applies one page of entries below `beforeSeq` from `target`'s own position inside `manager`'s
 * transaction (the live projector's page); returns the next position, or null when there was
 * nothing to apply. A rebuild runs the same two steps, decoding outside the transaction.
 */
export async function applyFactsPage(
  repository: FactsRepository,
  manager: EntityManager,
  target: ProjectionTarget,
  page: { readonly beforeSeq?: number; readonly pageSize?: number } = {},
): Promise<number | null> {
  const from = await positionOf(manager, target);
  const entries = await repository.entriesFrom(from, page.pageSize ?? FACTS_PAGE, manager, page.beforeSeq);
  if (entries.length === 0) return null;
  const next = entries[entries.length - 1]!.seq + 1;
  await repository.store(toFactRows(entries), next, manager, target);
  return next;
}

/** The live projector's page: its own transaction, after the projector lock (inLivePage). */
export function applyNextPage(repository: FactsRepository, dataSource: DataSource): Promise<number | null> {
  return inLivePage(dataSource, FACTS_PROJECTION, (manager) => applyFactsPage(repository, manager, liveTarget(FACTS_PROJECTION)));
}
