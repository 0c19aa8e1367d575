import type { DataSource } from 'typeorm';
import { FactsRepository } from '../infrastructure/facts.repository';
import { applyNextPage } from './facts.projection';

export interface RebuildProgress {
  /** Entries replayed so far. */
  readonly done: number;
  /** Entries in the log when the rebuild started (more may arrive while it runs). */
  readonly total: number;
}

export interface RebuildSummary {
  readonly projection: 'facts';
  /** Entries replayed: the projection's position afterwards. */
  readonly entries: number;
  /** The projection's position before it was cleared. */
  readonly previousPosition: number;
  readonly millis: number;
}

/**
 * Rebuilds the facts projection from the log: clears it and replays every entry from seq 0 with
 * the same code the live projector runs, in ONE transaction. Readers (and the live projector)
 * wait on the table lock meanwhile and then see the complete result, never a partial projection;
 * the live projector's own writes after the commit are idempotent (ON CONFLICT DO NOTHING, the
 * position only moves forward). Needs only the app role's privileges on the projection tables.
 */
export async function rebuildFacts(
  dataSource: DataSource,
  onProgress: (p: RebuildProgress) => void = () => undefined,
  now: () => number = Date.now,
): Promise<RebuildSummary> {
  const started = now();
  const repository = new FactsRepository(dataSource);
  return dataSource.transaction(async (manager) => {
    const previousPosition = await repository.position(manager);
    await repository.clear(manager);
    const total = await repository.logSize(manager);
    onProgress({ done: 0, total });
    let position = 0;
    for (;;) {
      const next = await applyNextPage(repository, manager);
      if (next === null) break;
      position = next;
      onProgress({ done: position, total: Math.max(total, position) });
    }
    return { projection: 'facts' as const, entries: position, previousPosition, millis: now() - started };
  });
}
