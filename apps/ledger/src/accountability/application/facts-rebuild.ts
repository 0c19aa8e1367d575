import type { DataSource, EntityManager } from 'typeorm';
import { FactsRepository } from '../infrastructure/facts.repository';
import { applyNextPage } from './facts.projection';

export interface RebuildProgress {
  /** Entries replayed so far. */
  readonly done: number;
  /** Entries in the log when the rebuild started (more may arrive while it runs). */
  readonly total: number;
}

export interface RebuildSummary {
  readonly projection: string;
  /** Entries replayed: the projection's position afterwards. */
  readonly entries: number;
  /** The projection's position before it was cleared. */
  readonly previousPosition: number;
  readonly millis: number;
}

/** What a rebuild needs of a projection, each step inside the rebuild's transaction. */
export interface RebuildableProjection {
  readonly name: string;
  position(manager: EntityManager): Promise<number>;
  /** Empties the projection and its position; its TRUNCATE lock holds until the transaction ends. */
  clear(manager: EntityManager): Promise<void>;
  /** Applies the next page; the next position, or null when nothing was left. */
  applyNextPage(manager: EntityManager): Promise<number | null>;
}

/**
 * Rebuilds a projection from the log: clears it and replays every entry from seq 0 with the same
 * code the live projector runs, in ONE transaction. Readers (and the live projector) wait on the
 * table lock meanwhile and then see the complete result, never a partial projection; the live
 * projector's own writes after the commit start from the rebuilt position. Needs only the app
 * role's privileges on the projection tables.
 */
export async function rebuildProjection(
  dataSource: DataSource,
  projection: RebuildableProjection,
  onProgress: (p: RebuildProgress) => void = () => undefined,
  now: () => number = Date.now,
): Promise<RebuildSummary> {
  const started = now();
  const log = new FactsRepository(dataSource);
  return dataSource.transaction(async (manager) => {
    const previousPosition = await projection.position(manager);
    await projection.clear(manager);
    const total = await log.logSize(manager);
    onProgress({ done: 0, total });
    let position = 0;
    for (;;) {
      const next = await projection.applyNextPage(manager);
      if (next === null) break;
      position = next;
      onProgress({ done: position, total: Math.max(total, position) });
    }
    return { projection: projection.name, entries: position, previousPosition, millis: now() - started };
  });
}

/** The facts index as a rebuild sees it. */
export function factsProjection(dataSource: DataSource): RebuildableProjection {
  const repository = new FactsRepository(dataSource);
  return {
    name: 'facts',
    position: (manager) => repository.position(manager),
    clear: (manager) => repository.clear(manager),
    applyNextPage: (manager) => applyNextPage(repository, manager),
  };
}
