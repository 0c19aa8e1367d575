/**
 * How long each table of a service schema keeps its rows, stated once per service (beside its
 * migrations) and read by three things: the retention job, which purges only what a `purged`
 * rule allows; docs/retention.md, generated from these tables; and a test on a migrated
 * database that fails when a table has no entry or an entry names no table.
 *
 * The log is kept for ever. Its tables (LOG_TABLES) can only be given `log` retention, and the
 * purge functions take a `PurgeableTable` name, which excludes them: naming one does not compile.
 * The database refuses too: the log's tables grant no DELETE, and `entries` has a trigger.
 */

/** The append-only log and what proves it: entries, the Merkle tree, signed checkpoints, witnesses' cosignatures. */
export const LOG_TABLES = ['entries', 'tree_nodes', 'checkpoints', 'cosignatures'] as const;
export type LogTable = (typeof LOG_TABLES)[number];

/** A table name a purge may name: any but the log's (`never` for those, so a call naming one fails to compile). */
export type PurgeableTable<T extends string = string> = T extends LogTable ? never : T;

/**
 * EU AI Act Art. 26(6): deployers keep the logs a high-risk AI system generates "for a period
 * appropriate to the intended purpose ..., of at least six months". Six months in days, rounded up.
 */
export const ART_26_6_MINIMUM_DAYS = 183;
export const ART_26_6_FLOOR = {
  days: ART_26_6_MINIMUM_DAYS,
  why: 'EU AI Act Art. 26(6): logs kept at least six months',
} as const;

/** Rows purged once older than a period: only what is not evidence, or is a copy of what the log keeps. */
export interface PurgeRule {
  /** The timestamp column whose age counts. */
  readonly age: string;
  /** SQL over the table's columns (unqualified, or qualified by the table's name) that a row MUST also meet to be purged. */
  readonly eligible?: string;
  readonly defaultDays: number;
  /** A minimum the configured period MUST NOT go below, and why. */
  readonly floor?: { readonly days: number; readonly why: string };
  /**
   * SQL giving a row's CloudEvents subject (e.g. `headers->>'ce_subject'`), for tables whose rows
   * may be evidence of a case: a row whose subject is under a legal hold is never purged.
   */
  readonly subject?: string;
  readonly why: string;
}

export type LogRetention = { readonly kind: 'log'; readonly why: string };
export type OtherRetention =
  /** Kept as long as the service runs: state it acts on, positions, directories, receipts. */
  | { readonly kind: 'kept'; readonly why: string }
  /** A projection: disposable, emptied and rebuilt from the log, never purged by age. */
  | { readonly kind: 'rebuilt'; readonly why: string }
  | ({ readonly kind: 'purged' } & PurgeRule);
export type Retention = LogRetention | OtherRetention;

/** Every table of a schema with its retention; a log table can only be `log`, any other anything but. */
export type RetentionTables<T extends string> = { readonly [K in T]: K extends LogTable ? LogRetention : OtherRetention };

/** A schema's retention, its table names kept as types (`retentionTable` infers them). */
export interface RetentionTable<T extends string = string> {
  readonly schema: string;
  readonly tables: string extends T ? Readonly<Record<string, Retention>> : RetentionTables<T>;
}

export function retentionTable<T extends string>(schema: string, tables: RetentionTables<T>): RetentionTable<T> {
  for (const [table, retention] of Object.entries<Retention>(tables)) {
    const isLog = (LOG_TABLES as readonly string[]).includes(table);
    // The types say so; this says it again for anything built without them.
    if (isLog !== (retention.kind === 'log'))
      throw new Error(`${schema}.${table}: ${isLog ? 'a log table is kept for ever' : 'only the log tables are the log'}`);
  }
  return { schema, tables };
}

/** TypeORM's record of the migrations run (provision.ts names it). */
export const MIGRATIONS_RETENTION = {
  kind: 'kept',
  why: 'which migrations have run; owned and written by the owner role only',
} as const;

/** A purge rule with the period in force. */
export interface PurgeTarget {
  readonly table: PurgeableTable;
  readonly rule: PurgeRule;
  readonly days: number;
  /** `RETENTION_<SCHEMA>_<TABLE>_DAYS`. */
  readonly variable: string;
}

/** The environment variable that sets `table`'s period, e.g. `RETENTION_USAGE_EVENTS_IDEMPOTENCY_KEYS_DAYS`. */
export function retentionVariable(schema: string, table: string): string {
  return `RETENTION_${schema}_${table}_DAYS`.toUpperCase();
}

/**
 * The purge rules of `table` with their periods from `env` (default: the rule's). A period that is
 * not a whole number of days of 1 or more, or is below the rule's floor, throws naming the
 * variable: the service does not start with a retention it may not apply.
 */
export function purgeTargets(table: RetentionTable, env: NodeJS.ProcessEnv = process.env): PurgeTarget[] {
  const targets: PurgeTarget[] = [];
  for (const [name, retention] of Object.entries<Retention>(table.tables)) {
    if (retention.kind !== 'purged' || isLogTable(name)) continue;
    const variable = retentionVariable(table.schema, name);
    const text = env[variable];
    const days = text === undefined || text === '' ? retention.defaultDays : Number(text);
    if (!Number.isSafeInteger(days) || days < 1)
      throw new Error(`${variable} must be a whole number of days of 1 or more, not ${JSON.stringify(text)}`);
    if (retention.floor && days < retention.floor.days)
      throw new Error(`${variable} is ${days} days, below the minimum of ${retention.floor.days} (${retention.floor.why})`);
    targets.push({ table: name, rule: retention, days, variable });
  }
  return targets;
}

function isLogTable(name: string): name is LogTable {
  return (LOG_TABLES as readonly string[]).includes(name);
}

/** The instant before which a target's rows are due, `now` minus its period. */
export function purgeCutoff(target: Pick<PurgeTarget, 'days'>, now: Date): Date {
  return new Date(now.getTime() - target.days * 86_400_000);
}

/**
 * One bounded batch's DELETE for `target`: at most `$2` rows older than `$1`, meeting the rule's
 * condition and, when the rule names a subject, none whose subject is in `$3` (the subjects under
 * a legal hold). The row set is chosen by `ctid` in a sub-select, so the statement needs only
 * SELECT and DELETE on the table. The table name is typed PurgeableTable and checked again here.
 */
export function purgeBatchSql<T extends string>(schema: string, table: T & PurgeableTable<T>, rule: PurgeRule): string {
  const { due, notHeld } = purgeConditions(schema, table, rule, '$3');
  return `DELETE FROM ${schema}.${table} WHERE ctid IN (SELECT ctid FROM ${schema}.${table} WHERE ${[due, ...(notHeld ? [notHeld] : [])].join(' AND ')} LIMIT $2)`;
}

/**
 * What one run of purgeBatchSql's rule would do, counted without deleting (a dry run): `due`, the
 * rows older than `$1` that meet the rule's condition and that a run would delete; `held`, those of
 * them it keeps because their subject is in `$2` (the subjects under a legal hold; always 0 for a
 * rule without a subject). Needs only SELECT on the table.
 */
export function purgeCountSql<T extends string>(schema: string, table: T & PurgeableTable<T>, rule: PurgeRule): string {
  const { due, notHeld } = purgeConditions(schema, table, rule, '$2');
  const purged = notHeld ? `count(*) FILTER (WHERE ${notHeld})` : 'count(*)';
  const held = notHeld ? `count(*) FILTER (WHERE NOT (${notHeld}))` : '0';
  return `SELECT ${purged}::int AS due, ${held}::int AS held FROM ${schema}.${table} WHERE ${due}`;
}

/** The SQL conditions of a purge rule: rows past their period and eligible; rows not under hold (`held`: the parameter of the held subjects). */
function purgeConditions(schema: string, table: string, rule: PurgeRule, held: string): { due: string; notHeld: string | null } {
  if (isLogTable(table)) throw new Error(`${schema}.${table} is the log: it is never purged`);
  for (const name of [schema, table, rule.age])
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe SQL identifier in a retention rule: ${name}`);
  const due = [`${rule.age} < $1`, ...(rule.eligible ? [`(${rule.eligible})`] : [])].join(' AND ');
  // A row without a subject is no case's evidence; `<> ALL` of an empty list holds.
  return { due, notHeld: rule.subject ? `coalesce(${rule.subject}, '') <> ALL (${held}::text[])` : null };
}
