import type { ClientBase } from 'pg';
import { purgeBatchSql, purgeCountSql, purgeCutoff, type PurgeTarget } from './retention';

export interface PurgeOptions {
  readonly now: Date;
  /** Rows deleted per statement: each batch is its own short transaction. */
  readonly batchSize: number;
  /** Batches per table per run, so one run is bounded; what is left waits for the next run. */
  readonly maxBatches: number;
  /**
   * The subjects under a legal hold, asked before every batch of a table whose rule names a
   * subject. REQUIRED for such a table: without it the purge refuses (fails closed).
   */
  readonly heldSubjects?: () => Promise<readonly string[]>;
}

export interface PurgeOutcome {
  readonly table: string;
  readonly days: number;
  readonly cutoff: string;
  readonly purged: number;
  readonly batches: number;
  /** False when `maxBatches` stopped it with rows possibly still due. */
  readonly complete: boolean;
}

/**
 * Deletes the rows of `targets` that are past their period, in bounded batches, through `client`
 * (connected as the service's login role, which holds DELETE on exactly these tables). Tables are
 * purged one after the other; an error stops the run with what was purged so far committed.
 */
export async function purgeExpired(client: ClientBase, schema: string, targets: readonly PurgeTarget[], options: PurgeOptions) {
  const outcomes: PurgeOutcome[] = [];
  for (const target of targets) {
    if (target.rule.subject && !options.heldSubjects)
      throw new Error(`${schema}.${target.table} may hold a case's evidence: its purge needs the subjects under legal hold`);
    const sql = purgeBatchSql(schema, target.table, target.rule);
    const cutoff = purgeCutoff(target, options.now);
    let purged = 0;
    let batches = 0;
    let complete = false;
    while (batches < options.maxBatches) {
      const params: unknown[] = [cutoff, options.batchSize];
      if (target.rule.subject) params.push(await options.heldSubjects!());
      const { rowCount } = await client.query(sql, params);
      batches += 1;
      purged += rowCount ?? 0;
      if ((rowCount ?? 0) < options.batchSize) {
        complete = true;
        break;
      }
    }
    outcomes.push({ table: target.table, days: target.days, cutoff: cutoff.toISOString(), purged, batches, complete });
  }
  return outcomes;
}

/** What a run would purge from one table now, counted without deleting (countExpired). */
export interface PurgePreview {
  readonly table: string;
  readonly days: number;
  /** `RETENTION_<SCHEMA>_<TABLE>_DAYS`, which sets `days`. */
  readonly variable: string;
  readonly cutoff: string;
  /** Rows past their period that a run would delete. */
  readonly due: number;
  /** Rows past their period that a run keeps because a legal hold covers their subject; null for a table no hold covers. */
  readonly held: number | null;
}

/**
 * A dry run of purgeExpired: for each target, how many rows are past their period, and how many of
 * those a legal hold keeps, with the held subjects asked once. Deletes nothing; needs only SELECT.
 * A table whose rule names a subject needs `heldSubjects`, as for the purge.
 */
export async function countExpired(
  client: ClientBase,
  schema: string,
  targets: readonly PurgeTarget[],
  options: Pick<PurgeOptions, 'now' | 'heldSubjects'>,
): Promise<PurgePreview[]> {
  let held: readonly string[] | undefined;
  const previews: PurgePreview[] = [];
  for (const target of targets) {
    if (target.rule.subject && !options.heldSubjects)
      throw new Error(`${schema}.${target.table} may hold a case's evidence: its count needs the subjects under legal hold`);
    const cutoff = purgeCutoff(target, options.now);
    const params: unknown[] = [cutoff];
    if (target.rule.subject) {
      held ??= await options.heldSubjects!();
      params.push(held);
    }
    const { rows } = await client.query<{ due: number; held: number }>(purgeCountSql(schema, target.table, target.rule), params);
    previews.push({
      table: target.table,
      days: target.days,
      variable: target.variable,
      cutoff: cutoff.toISOString(),
      due: rows[0]!.due,
      held: target.rule.subject ? rows[0]!.held : null,
    });
  }
  return previews;
}
