import type { DataSource, EntityManager } from 'typeorm';

/**
 * Which copy of a projection a page is applied to: the live tables answers read, or the shadow
 * tables `ledger rebuild` fills (`<table>_rebuild`, migration 1735300000001-projection-rebuild),
 * each with its own row in `projection_positions`. Only the page-applying code takes a target;
 * every read for an answer names the live tables, so answers never see a shadow.
 */
export interface ProjectionTarget {
  readonly suffix: '' | '_rebuild';
  /** Its row in `projection_positions`. */
  readonly position: string;
}

export const liveTarget = (projection: string): ProjectionTarget => ({ suffix: '', position: projection });
export const shadowTarget = (projection: string): ProjectionTarget => ({ suffix: '_rebuild', position: `${projection}:rebuild` });

/** The qualified name of `table` in `target`. */
export const tableIn = (target: ProjectionTarget, table: string): string => `ledger.${table}${target.suffix}`;

/** Advisory lock classes (the second key is `hashtext(projection)`): one rebuild per projection; live pages against a swap. */
export const REBUILD_LOCK = 7_316_101;
export const PROJECTOR_LOCK = 7_316_102;

/** The next seq `target` will apply: it holds every entry below it. */
export async function positionOf(manager: EntityManager, target: ProjectionTarget): Promise<number> {
  const rows: Array<{ next_seq: string }> = await manager.query('SELECT next_seq FROM ledger.projection_positions WHERE projection = $1', [
    target.position,
  ]);
  return rows[0] ? Number(rows[0].next_seq) : 0;
}

/** Moves `target`'s position forward to `nextSeq` (never back: a page applied twice changes nothing). */
export async function advancePosition(manager: EntityManager, target: ProjectionTarget, nextSeq: number): Promise<void> {
  await manager.query(
    `INSERT INTO ledger.projection_positions (projection, next_seq) VALUES ($1, $2)
     ON CONFLICT (projection) DO UPDATE SET next_seq = GREATEST(projection_positions.next_seq, EXCLUDED.next_seq)`,
    [target.position, nextSeq],
  );
}

/**
 * Moves `target`'s position from `fromSeq` to `nextSeq`, refusing when it is not at `fromSeq`: a
 * rebuild writes its pages in order from its own position and checks each one continues the last.
 */
export async function movePosition(manager: EntityManager, target: ProjectionTarget, fromSeq: number, nextSeq: number): Promise<void> {
  const rows: Array<{ moved: number }> = await manager.query(
    `WITH moved AS (UPDATE ledger.projection_positions SET next_seq = $3 WHERE projection = $1 AND next_seq = $2 RETURNING 1)
     SELECT count(*)::int AS moved FROM moved`,
    [target.position, fromSeq, nextSeq],
  );
  if (rows[0]!.moved !== 1)
    throw new Error(`projection position ${target.position} is not at ${fromSeq}: a page would be skipped or applied twice`);
}

/**
 * Runs one live page in its own transaction, after the projection's projector lock: a rebuild
 * holds that lock while it catches up the tail and swaps its tables in, so a live page runs wholly
 * before the swap (on the old tables) or wholly after it (on the new ones, from the new position).
 */
export function inLivePage<T>(dataSource: DataSource, projection: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PROJECTOR_LOCK, projection]);
    return work(manager);
  });
}
