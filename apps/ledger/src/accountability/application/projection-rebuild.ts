import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { FACTS_PROJECTION, type FactRow, FactsRepository, type LogEntryRow } from '../infrastructure/facts.repository';
import {
  advancePosition,
  liveTarget,
  PROJECTOR_LOCK,
  positionOf,
  REBUILD_LOCK,
  shadowTarget,
  type ProjectionTarget,
} from '../infrastructure/projection-target';
import { toFactRows } from './facts.projection';

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

/**
 * What a rebuild needs of a projection: its page, as the live projector runs it, in two steps, so
 * the pure one (decoding entries through the contracts) runs while the previous page is written.
 */
export interface RebuildableProjection<Decoded = unknown> {
  readonly name: string;
  /** Its tables in `ledger`, each rebuilt into `<table>_rebuild` and swapped in together. */
  readonly tables: readonly string[];
  /**
   * Whether a page reads the projection's own tables back (by their keys, or to merge into a row):
   * then the shadow has its primary key and unique constraints from the start; else they are built
   * at the end with its other indexes, once over the whole shadow (rebuild_prepare's keys_at_end).
   */
  readonly readsItself: boolean;
  /** The pure step: a page of entries read from the log, decoded. No database. */
  decode(entries: readonly LogEntryRow[]): Decoded;
  /**
   * Writes a decoded page (the entries from `page.from` to `page.next`, excluded) to `target` in
   * `manager`'s transaction and moves its position from `page.from` to `page.next`; MUST refuse
   * when the position is not at `page.from`.
   */
  write(manager: EntityManager, target: ProjectionTarget, decoded: Decoded, page: PageBounds): Promise<void>;
}

/** A page's entries: from `from` to `next`, excluded. */
export interface PageBounds {
  readonly from: number;
  readonly next: number;
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
 *    position in one transaction, with the same code the live projector runs (its decode step
 *    overlapping the previous page's write: PageFiller). Answers and the live projector go on
 *    with the live tables meanwhile.
 * 4. Builds the shadow's keys (when left to the end) and other indexes once (rebuild_index).
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
      const fill = new PageFiller(runner, new FactsRepository(dataSource), projection, shadow, pageSize, resumedFrom);
      const report = async (phase: RebuildProgress['phase']) =>
        await onProgress({ projection: projection.name, phase, done: fill.done, total: Math.max(total, fill.done), pages: fill.pages });
      await report('pages');
      await fill.until(Number.MAX_SAFE_INTEGER, () => report('pages'));
      await report('index');
      await runner.query('SELECT ledger.rebuild_index($1::text[])', [projection.tables]);
      await runner.query('SELECT pg_advisory_lock($1, hashtext($2))', [PROJECTOR_LOCK, projection.name]);
      try {
        const previousPosition = await positionOf(runner.manager, liveTarget(projection.name));
        if (fill.done < previousPosition) await fill.until(previousPosition, () => report('tail'));
        const entries = Math.max(fill.done, previousPosition);
        await swap(runner, projection, shadow, entries);
        fill.done = entries;
        await report('swapped');
        return { projection: projection.name, entries, previousPosition, resumedFrom, pages: fill.pages, millis: now() - started };
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

/**
 * Fills the shadow page by page from its position, three pages in flight: the next read from the
 * log (immutable, append-only) on another connection, this one decoded, the last one written in its
 * own transaction with the shadow's position. Pages are written one after the other, in order.
 */
class PageFiller<Decoded> {
  pages = 0;

  constructor(
    private readonly runner: QueryRunner,
    private readonly log: FactsRepository,
    private readonly projection: RebuildableProjection<Decoded>,
    private readonly shadow: ProjectionTarget,
    private readonly pageSize: number,
    /** The shadow's position: every entry below it written. */
    public done: number,
  ) {}

  /** Writes every entry below `beforeSeq` from the position on; `written` runs after each page's commit (if it throws, filling stops there). */
  async until(beforeSeq: number, written: () => Promise<void>): Promise<void> {
    const read = (from: number) => {
      const page = this.log.entriesFrom(from, this.pageSize, undefined, beforeSeq);
      page.catch(() => undefined); // awaited below, unless filling stopped first
      return page;
    };
    let reading = read(this.done);
    let writing: Promise<void> | undefined;
    try {
      for (;;) {
        const entries = await reading;
        if (entries.length === 0) break;
        const next = entries[entries.length - 1]!.seq + 1;
        reading = read(next);
        const decoded = this.projection.decode(entries);
        if (writing) {
          await writing;
          writing = undefined;
          await written();
        }
        writing = this.write(decoded, { from: this.done, next });
      }
      if (writing) {
        await writing;
        writing = undefined;
        await written();
      }
    } finally {
      await writing?.catch(() => undefined);
    }
  }

  private async write(decoded: Decoded, page: PageBounds): Promise<void> {
    await inTransaction(this.runner, (m) => this.projection.write(m, this.shadow, decoded, page));
    this.done = page.next;
    this.pages++;
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
    await m.query('SELECT ledger.rebuild_prepare($1::text[], $2)', [projection.tables, !projection.readsItself]);
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

/** The facts index as a rebuild sees it: its rows are written without reading it back. */
export function factsProjection(dataSource: DataSource): RebuildableProjection<FactRow[]> {
  const repository = new FactsRepository(dataSource);
  return {
    name: FACTS_PROJECTION,
    tables: ['facts'],
    readsItself: false,
    decode: toFactRows,
    write: (manager, target, rows, page) => repository.store(rows, page.next, manager, target, page.from),
  };
}
