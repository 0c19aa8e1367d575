import {
  ART_26_6_FLOOR,
  LOG_TABLES,
  purgeBatchSql,
  purgeCountSql,
  purgeCutoff,
  purgeTargets,
  retentionTable,
  retentionVariable,
  type PurgeRule,
  type Retention,
} from './retention';

const rejections: PurgeRule = { age: 'rejected_at', defaultDays: 365, floor: ART_26_6_FLOOR, subject: "headers->>'ce_subject'", why: 'x' };
const table = retentionTable('ledger', {
  entries: { kind: 'log', why: 'for ever' },
  rejections: { kind: 'purged', ...rejections },
  facts: { kind: 'rebuilt', why: 'projection' },
});

describe('retention rules', () => {
  it('given no environment, when the purge targets are read, then only purged tables are, with their default periods', () => {
    expect(purgeTargets(table, {})).toEqual([
      { table: 'rejections', rule: { kind: 'purged', ...rejections }, days: 365, variable: 'RETENTION_LEDGER_REJECTIONS_DAYS' },
    ]);
  });

  it('given a period in the environment, then it is used; below the Art. 26(6) floor or not a whole number, it stops the start-up naming the variable', () => {
    expect(purgeTargets(table, { RETENTION_LEDGER_REJECTIONS_DAYS: '200' })[0]!.days).toBe(200);
    expect(() => purgeTargets(table, { RETENTION_LEDGER_REJECTIONS_DAYS: '90' })).toThrow(
      'RETENTION_LEDGER_REJECTIONS_DAYS is 90 days, below the minimum of 183 (EU AI Act Art. 26(6): logs kept at least six months)',
    );
    for (const bad of ['0', '-3', '1.5', 'soon'])
      expect(() => purgeTargets(table, { RETENTION_LEDGER_REJECTIONS_DAYS: bad })).toThrow(
        /^RETENTION_LEDGER_REJECTIONS_DAYS must be a whole number of days of 1 or more/,
      );
  });

  it('names each period variable after its schema and table', () => {
    expect(retentionVariable('usage_events', 'idempotency_keys')).toBe('RETENTION_USAGE_EVENTS_IDEMPOTENCY_KEYS_DAYS');
  });

  it('given a period of 7 days, then rows are due before now minus 7 days', () => {
    expect(purgeCutoff({ days: 7 }, new Date('2026-12-08T10:00:00.000Z')).toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });

  it('given a rule with a subject, then its batch keeps rows whose subject is held and deletes at most the batch size', () => {
    expect(purgeBatchSql('ledger', 'rejections', rejections)).toBe(
      "DELETE FROM ledger.rejections WHERE ctid IN (SELECT ctid FROM ledger.rejections WHERE rejected_at < $1 AND coalesce(headers->>'ce_subject', '') <> ALL ($3::text[]) LIMIT $2)",
    );
    expect(purgeBatchSql('usage_events', 'idempotency_keys', { age: 'created_at', defaultDays: 7, why: 'x' })).toBe(
      'DELETE FROM usage_events.idempotency_keys WHERE ctid IN (SELECT ctid FROM usage_events.idempotency_keys WHERE created_at < $1 LIMIT $2)',
    );
  });

  it('given a rule, then its dry-run count selects the same rows as its batch, split into those a run deletes and those a hold keeps', () => {
    expect(purgeCountSql('ledger', 'rejections', rejections)).toBe(
      "SELECT count(*) FILTER (WHERE coalesce(headers->>'ce_subject', '') <> ALL ($2::text[]))::int AS due, count(*) FILTER (WHERE NOT (coalesce(headers->>'ce_subject', '') <> ALL ($2::text[])))::int AS held FROM ledger.rejections WHERE rejected_at < $1",
    );
    expect(purgeCountSql('usage_events', 'idempotency_keys', { age: 'created_at', defaultDays: 7, why: 'x' })).toBe(
      'SELECT count(*)::int AS due, 0::int AS held FROM usage_events.idempotency_keys WHERE created_at < $1',
    );
    // @ts-expect-error the log's tables are not PurgeableTable
    expect(() => purgeCountSql('ledger', 'entries', rejections)).toThrow('ledger.entries is the log: it is never purged');
  });

  describe('the log cannot be purged', () => {
    it.each(LOG_TABLES)('given %s, when a purge names it, then it does not compile and, built without types, it throws', (name) => {
      // @ts-expect-error the log's tables are not PurgeableTable: naming one is a compile error
      expect(() => purgeBatchSql('ledger', 'entries', rejections)).toThrow('ledger.entries is the log: it is never purged');
      expect(() => purgeBatchSql('ledger', name as never, rejections)).toThrow(`ledger.${name} is the log: it is never purged`);
    });

    it('given a log table with anything but log retention, then the table does not compile and, built without types, it throws', () => {
      // @ts-expect-error a log table can only be given `log` retention
      expect(() => retentionTable('ledger', { entries: { kind: 'purged', ...rejections } })).toThrow(
        'ledger.entries: a log table is kept for ever',
      );
      const untyped = { tree_nodes: { kind: 'rebuilt', why: 'x' } } as Record<string, Retention>;
      expect(() => retentionTable('ledger', untyped as never)).toThrow('ledger.tree_nodes: a log table is kept for ever');
    });

    it('given a table that is not the log, then it cannot claim log retention', () => {
      // @ts-expect-error only the log's tables are the log
      expect(() => retentionTable('ledger', { rejections: { kind: 'log', why: 'x' } })).toThrow(
        'ledger.rejections: only the log tables are the log',
      );
    });
  });

  it('refuses an identifier that is not a plain SQL name', () => {
    expect(() => purgeBatchSql('ledger', 'rejections; DROP TABLE x', rejections)).toThrow(/unsafe SQL identifier/);
  });
});
