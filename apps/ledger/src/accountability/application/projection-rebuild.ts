import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { FACTS_PROJECTION, FactsRepository, type LogEntryRow } from '../infrastructure/facts.repository';
import {
  advancePosition,
  liveTarget,
  PROJECTOR_LOCK,
  positionOf,
  REBUILD_LOCK,
  shadowTarget,
  type ProjectionTarget,
} from '../infrastructure/projection-target';
import { applyFactsPage } from './facts.projection';

/** Entries a rebuild applies per page (and per transaction): ten live pages, a few MB in memory. */
export const REBUILD_PAGE = 5000;

export interface RebuildProgress {
  readonly projection: string;
  /** `pages` while the shadow is filled, then `index`, `tail` (the live projector paused) and `swapped`. */
  readonly phase: 'pages' | 'index' | 'tail' | 'swapped';
  /** The shadow's position: entries replayed so far. */
  readonly done: number;
  /** Entries in the log when the rebuild started (more may arrive while it runs). */
  readonly total: number;
  /** Pages applied by this run. */
  readonly pages: number;
}

export interface RebuildSummary {
  readonly projection: string;
  /** The rebuilt projection's position when it was swapped in: every entry below it replayed. */
  readonly entries: number;
  /** The live projection's position just before the swap. */
  readonly previousPosition: number;
  /** Where this run started: 0, or the position a killed rebuild had reached. */
  readonly resumedFrom: number;
  readonly pages: number;
  readonly millis: number;
}

/** What a rebuild needs of a projection. */
export interface RebuildableProjection {
  readonly name: string;
  /** Its tables in `ledger`, each rebuilt into `<table>_rebuild` and swapped in together. */
  readonly tables: readonly string[];
  /**
   * Applies the next page below `beforeSeq` to `target` inside `manager`'s transaction; the next
   * position, or null when nothing was left. `read`, when given, is that page already read from
   * the log (used only if it starts at the target's position).
   */
  applyPage(manager: EntityManager, target: ProjectionTarget, page: PageRequest): Promise<number | null>;
}

/** Which page to apply: below `beforeSeq`, at most `pageSize` entries, perhaps already read. */
export interface PageRequest {
  readonly beforeSeq: number;
  readonly pageSize: number;
  readonly read?: readonly LogEntryRow[];
}

/** Another rebuild of the same projection holds its lock. */
export class RebuildRunningError extends Error {
  readonly code = 'LEDGER.REBUILD_RUNNING';
  constructor(readonly projection: string) {
    super(
      `another rebuild of the ${projection} projection is running; wait for it to finish (or stop it: a rebuild resumes where it stopped)`,
    );
    this.name = 'RebuildRunningError';
  }
}

const DEADLOCK = '40P01';

/**
 * Rebuilds a projection from the log without one long transaction (issue #16 target 5):
 *
 * 1. Takes the projection's rebuild lock (a session advisory lock): a second rebuild is refused.
 * 2. Resumes the shadow tables (`<table>_rebuild`) where a killed rebuild left them, when they
 *    and their position (`<projection>:rebuild`) exist; else creates them empty (rebuild_prepare).
 * 3. Replays the log into the shadow page by page, keyset by seq, each page and the shadow's
 *    position in one transaction, with the same code the live projector runs. Answers and the
 *    live projector go on with the live tables meanwhile.
 * 4. Builds the shadow's other indexes once (rebuild_index).
 * 5. Takes the projector lock, so the live projector pauses between pages, catches the shadow up
 *    to the live position (or the live one up to nothing: whichever is further is kept), and in one
 *    short transaction swaps the shadow in and sets the live position (rebuild_swap). A live page
 *    waiting on the lock then runs on the new tables from the new position.
 *
 * Needs only the app role: the DDL runs in the owner's SECURITY DEFINER functions. `onProgress`
 * is called (and awaited) after every step; if it throws, the rebuild stops there (as if killed)
 * and resumes on the next run.
 */
export async function rebuildProjection(
  dataSource: DataSource,
  projection: RebuildableProjection,
  onProgress: (p: RebuildProgress) => void | Promise<void> = () => undefined,
  options: { readonly pageSize?: number; readonly now?: () => number } = {},
): Promise<RebuildSummary> {
  const now = options.now ?? Date.now;
  const pageSize = options.pageSize ?? REBUILD_PAGE;
  const started = now();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const locked: Array<{ ok: boolean }> = await runner.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [
      REBUILD_LOCK,
      projection.name,
    ]);
    if (!locked[0]!.ok) throw new RebuildRunningError(projection.name);
    try {
      const shadow = shadowTarget(projection.name);
      const resumedFrom = await prepareShadow(runner, projection, shadow);
      const total = await new FactsRepository(dataSource).logSize(runner.manager);
      let pages = 0;
      let done = resumedFrom;
      const report = async (phase: RebuildProgress['phase']) =>
        await onProgress({ projection: projection.name, phase, done, total: Math.max(total, done), pages });
      await report('pages');
      const page = async (beforeSeq: number, read?: readonly LogEntryRow[]) => {
        const next = await inTransaction(runner, (m) =>
          projection.applyPage(m, shadow, { beforeSeq, pageSize, ...(read ? { read } : {}) }),
        );
        if (next === null) return false;
        done = next;
        pages++;
        return true;
      };
      // The next page is read from the log (immutable, append-only) on another connection while this
      // one is decoded and written: the database's reading overlaps the decoding. Two pages in memory.
      const log = new FactsRepository(dataSource);
      const readAhead = (from: number) => {
        const next = log.entriesFrom(from, pageSize);
        next.catch(() => undefined); // awaited below; a rebuild stopped meanwhile leaves it unread
        return next;
      };
      let reading = readAhead(done);
      for (;;) {
        const read = await reading;
        if (read.length === 0) break;
        reading = readAhead(read[read.length - 1]!.seq + 1);
        if (!(await page(Number.MAX_SAFE_INTEGER, read))) break;
        await report('pages');
      }
      await report('index');
      await runner.query('SELECT ledger.rebuild_index($1::text[])', [projection.tables]);
      await runner.query('SELECT pg_advisory_lock($1, hashtext($2))', [PROJECTOR_LOCK, projection.name]);
      try {
        const previousPosition = await positionOf(runner.manager, liveTarget(projection.name));
        while (done < previousPosition && (await page(previousPosition))) await report('tail');
        const entries = Math.max(done, previousPosition);
        await swap(runner, projection, shadow, entries);
        done = entries;
        await report('swapped');
        return { projection: projection.name, entries, previousPosition, resumedFrom, pages, millis: now() - started };
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', [PROJECTOR_LOCK, projection.name]);
      }
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', [REBUILD_LOCK, projection.name]);
    }
  } finally {
    await runner.release();
  }
}

/** The shadow's position when a killed rebuild left complete shadow tables and a position; else fresh empty ones and 0. */
async function prepareShadow(runner: QueryRunner, projection: RebuildableProjection, shadow: ProjectionTarget): Promise<number> {
  const found: Array<{ tables: number; positions: number }> = await runner.query(
    `SELECT (SELECT count(*) FROM unnest($1::text[]) AS t WHERE to_regclass('ledger.' || t || '_rebuild') IS NOT NULL)::int AS tables,
            (SELECT count(*) FROM ledger.projection_positions WHERE projection = $2)::int AS positions`,
    [projection.tables, shadow.position],
  );
  if (found[0]!.tables === projection.tables.length && found[0]!.positions === 1) return positionOf(runner.manager, shadow);
  await inTransaction(runner, async (m) => {
    await m.query('SELECT ledger.rebuild_prepare($1::text[])', [projection.tables]);
    await m.query('DELETE FROM ledger.projection_positions WHERE projection = $1', [shadow.position]);
    await advancePosition(m, shadow, 0);
  });
  return 0;
}

/**
 * Swaps the shadow in and moves the live position to `entries`, in one transaction. An answer
 * reading several of the tables may deadlock with the swap's locks; PostgreSQL then aborts the
 * swap (it waited first), which is retried.
 */
async function swap(runner: QueryRunner, projection: RebuildableProjection, shadow: ProjectionTarget, entries: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await inTransaction(runner, async (m) => {
        await m.query('SELECT ledger.rebuild_swap($1::text[])', [projection.tables]);
        await m.query('DELETE FROM ledger.projection_positions WHERE projection = $1', [shadow.position]);
        await m.query(
          `INSERT INTO ledger.projection_positions (projection, next_seq) VALUES ($1, $2)
           ON CONFLICT (projection) DO UPDATE SET next_seq = EXCLUDED.next_seq`,
          [projection.name, entries],
        );
      });
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== DEADLOCK || attempt >= 5) throw err;
    }
  }
}

async function inTransaction<T>(runner: QueryRunner, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  await runner.startTransaction();
  try {
    const result = await work(runner.manager);
    await runner.commitTransaction();
    return result;
  } catch (err) {
    await runner.rollbackTransaction();
    throw err;
  }
}

/** The facts index as a rebuild sees it. */
export function factsProjection(dataSource: DataSource): RebuildableProjection {
  const repository = new FactsRepository(dataSource);
  return {
    name: FACTS_PROJECTION,
    tables: ['facts'],
    applyPage: (manager, target, page) => applyFactsPage(repository, manager, target, page),
  };
}
