import type { CloudEvent } from '@aal/contracts';
import { appDataSourceOptions } from '@aal/database';
import { deploymentSuspended, eventually, outputChainEvents, outputChainIds, safetyNoticeIssued, tokenFor } from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EXIT, runLedgerCli } from '../../cli/ledger-cli';
import { LEDGER_SCHEMA } from '../../database/ledger.schema';
import { oversightProjection } from '../../oversight/application/oversight-rebuild';
import { capturedIo } from '../../testing/captured-io';
import { TestLedger } from '../../testing/test-ledger';
import { FactsRepository, textArray } from '../infrastructure/facts.repository';
import { shadowTarget } from '../infrastructure/projection-target';
import {
  factsProjection,
  RebuildRunningError,
  rebuildProjection,
  type RebuildableProjection,
  type RebuildProgress,
} from './projection-rebuild';

/**
 * Rebuilds through shadow tables (issue #16 target 5), on a running ledger as its app role: the
 * result equals what the live projector built; a rebuild stopped after a few pages leaves the live
 * projection serving every answer unchanged and resumes where it stopped; a second rebuild of the
 * same projection is refused; the live projector goes on meanwhile and the swap keeps its entries.
 */
describe('projection rebuild through shadow tables', () => {
  let ledger: TestLedger;
  let app: DataSource;
  let token: string;
  const base = Date.now() - 13 * 60_000;
  const t = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  const ids = outputChainIds(`out-shadow-${randomUUID().slice(0, 8)}`);
  const events: CloudEvent<unknown>[] = [
    ...outputChainEvents(ids, base),
    deploymentSuspended(ids, { effectiveAt: t(9), reason: 'Alarm fatigue reported.', time: t(12) }),
    safetyNoticeIssued(ids, { severity: 'medium', summary: 'Drift on night shifts.', requiredAction: 'Audit.', time: t(7) }),
  ];
  const day = new Date(base).toISOString().slice(0, 10);
  const paths = [
    `/outputs/${ids.outputId}/accountability`,
    `/outputs/${ids.outputId}/accountability?asOf=${encodeURIComponent(t(8))}`,
    `/deployments/${ids.deploymentId}/oversight?from=${day}&to=${day}`,
  ];
  const projections = () => [factsProjection(app), oversightProjection(app)];
  const tablesOf = (ps: RebuildableProjection[]) => ps.flatMap((p) => p.tables);

  const answer = async (path: string): Promise<string> => {
    const res = await fetch(`${ledger.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${text}`);
    return text;
  };
  const answers = () => Promise.all(paths.map(answer));
  /** Every projection table's rows (sorted), its indexes and the app role's privileges: what a rebuild must reproduce. */
  const contents = () =>
    ledger.asAdmin(async (client) => {
      const out: Record<string, unknown> = {};
      for (const table of tablesOf(projections()))
        out[table] = (
          await client.query(`SELECT coalesce(json_agg(x ORDER BY x::text), '[]') AS rows FROM ledger.${table} x`)
        ).rows[0].rows;
      out['indexes'] = (
        await client.query(
          `SELECT indexname, replace(indexdef, '_rebuild', '') AS def FROM pg_indexes WHERE schemaname = 'ledger' AND tablename = ANY($1) ORDER BY indexname`,
          [tablesOf(projections())],
        )
      ).rows;
      out['privileges'] = (
        await client.query(
          `SELECT table_name, privilege_type FROM information_schema.table_privileges
            WHERE table_schema = 'ledger' AND grantee = $1 AND table_name = ANY($2) ORDER BY 1, 2`,
          [LEDGER_SCHEMA.appRole, tablesOf(projections())],
        )
      ).rows;
      out['positions'] = (await client.query('SELECT projection, next_seq FROM ledger.projection_positions ORDER BY projection')).rows;
      return out;
    });
  const shadows = () =>
    ledger.asAdmin(
      async (client) =>
        (
          await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'ledger' AND tablename LIKE '%\\_rebuild' ORDER BY 1`)
        ).rows.map((r: { tablename: string }) => r.tablename) as string[],
    );
  const projectedTo = (size: number) =>
    eventually(
      () => ledger.asAdmin(async (c) => (await c.query('SELECT projection, next_seq FROM ledger.projection_positions')).rows),
      (rows: Array<{ projection: string; next_seq: string }>) =>
        ['facts', 'oversight'].every((p) => rows.some((r) => r.projection === p && Number(r.next_seq) === size)),
      60000,
      `both projections at ${size}`,
    );

  beforeAll(async () => {
    ledger = await TestLedger.start('projection-rebuild');
    app = new DataSource(appDataSourceOptions(ledger.db.settings, LEDGER_SCHEMA, [], 3));
    await app.initialize();
    token = await tokenFor(
      { organisationId: 'st-swithins', personId: 'psn_investigator02', role: 'investigator' },
      { roles: ['auditor'], grants: ['all-organisations'] },
    );
    await ledger.publish(events);
    await projectedTo(events.length);
  });

  afterAll(async () => {
    await app?.destroy();
    await ledger?.stop();
  });

  it('rebuilds every projection into what the live projector built, and leaves no shadow behind', async () => {
    const before = { contents: await contents(), answers: await answers() };
    for (const projection of projections()) {
      const summary = await rebuildProjection(app, projection, undefined, { pageSize: 3 });
      expect(summary).toMatchObject({
        projection: projection.name,
        entries: events.length,
        previousPosition: events.length,
        resumedFrom: 0,
      });
      expect(summary.pages).toBe(Math.ceil(events.length / 3));
    }
    expect(await shadows()).toEqual([]);
    expect(await contents()).toEqual(before.contents);
    expect(await answers()).toEqual(before.answers);
  });

  it('stopped after two pages, it leaves every answer to the complete old projection, and the next run resumes there', async () => {
    const before = { contents: await contents(), answers: await answers() };
    const stop = new Error('stopped after two pages');
    for (const projection of projections()) {
      await expect(
        rebuildProjection(
          app,
          projection,
          (p) => {
            if (p.pages === 2) throw stop;
          },
          { pageSize: 2 },
        ),
      ).rejects.toBe(stop);
    }
    // Half-built shadows, with their positions, while answers are still the old projection's.
    expect(await shadows()).toEqual([...tablesOf(projections())].map((t) => `${t}_rebuild`).sort());
    const positions = (await contents())['positions'] as Array<{ projection: string; next_seq: string }>;
    expect(positions.filter((p) => p.projection.endsWith(':rebuild')).map((p) => [p.projection, Number(p.next_seq)])).toEqual([
      ['facts:rebuild', 4],
      ['oversight:rebuild', 4],
    ]);
    expect(await answers()).toEqual(before.answers);

    const seen: RebuildProgress[] = [];
    for (const projection of projections()) {
      const summary = await rebuildProjection(app, projection, (p) => void seen.push(p), { pageSize: 2 });
      expect(summary).toMatchObject({ entries: events.length, resumedFrom: 4, pages: Math.ceil((events.length - 4) / 2) });
    }
    expect(seen[0]).toMatchObject({ projection: 'facts', phase: 'pages', done: 4, pages: 0 });
    expect(seen.filter((p) => p.phase === 'swapped').map((p) => p.projection)).toEqual(['facts', 'oversight']);
    expect(await shadows()).toEqual([]);
    expect(await contents()).toEqual(before.contents);
    expect(await answers()).toEqual(before.answers);
  });

  it('answers from the old projection at every page of a rebuild', async () => {
    const before = await answers();
    const during: string[][] = [];
    for (const projection of projections())
      await rebuildProjection(app, projection, async (p) => {
        if (p.phase === 'pages') during.push(await answers());
      });
    expect(during.length).toBeGreaterThan(2);
    for (const seen of during) expect(seen).toEqual(before);
  });

  it('refuses a second rebuild of a projection while one runs, also from the CLI; the live projector goes on and the swap keeps its entries', async () => {
    let paused!: () => void;
    const resume = new Promise<void>((resolve) => {
      paused = resolve;
    });
    let reachedPage!: () => void;
    const atPage = new Promise<void>((resolve) => {
      reachedPage = resolve;
    });
    const first = rebuildProjection(
      app,
      factsProjection(app),
      async (p) => {
        if (p.pages === 1) {
          reachedPage();
          await resume;
        }
      },
      { pageSize: 2 },
    );
    await atPage;
    await expect(rebuildProjection(app, factsProjection(app))).rejects.toBeInstanceOf(RebuildRunningError);
    const { io, stdout, stderr } = capturedIo(process.cwd());
    const status = await runLedgerCli(['rebuild', '--json'], {
      ...io,
      env: { DATABASE_URL: ledger.db.adminUrl, DATABASE_APP_PASSWORD: ledger.db.settings.appPassword },
    });
    expect({ status, stdout: stdout(), stderr: stderr() }).toEqual({
      status: EXIT.failed,
      stdout: '',
      stderr:
        'ledger: another rebuild of the facts projection is running; wait for it to finish (or stop it: a rebuild resumes where it stopped)\n',
    });

    // While the rebuild waits, a new entry arrives and the live projector applies it to the live tables.
    await ledger.publish([
      safetyNoticeIssued(ids, { severity: 'low', summary: 'Second notice.', requiredAction: 'Read it.', time: t(11) }),
    ]);
    await projectedTo(events.length + 1);
    paused();
    const summary = await first;
    expect(summary).toMatchObject({ entries: events.length + 1, previousPosition: events.length + 1 });
    const counts = await ledger.asAdmin(
      async (c) =>
        (await c.query('SELECT (SELECT count(*) FROM ledger.facts)::int AS facts, (SELECT count(*) FROM ledger.entries)::int AS entries'))
          .rows[0],
    );
    expect(counts).toEqual({ facts: events.length + 1, entries: events.length + 1 });
    expect(JSON.parse(await answer(paths[0]!)).knownAt.seq).toBe(events.length);
  });

  it('writes a page only where the shadow stands: a page that would skip entries or apply some twice is refused', async () => {
    const facts = factsProjection(app);
    await expect(
      rebuildProjection(app, facts, (p) => (p.pages === 1 ? Promise.reject(new Error('stop')) : undefined), { pageSize: 2 }),
    ).rejects.toThrow('stop');
    const shadow = shadowTarget('facts');
    const rows = facts.decode(await new FactsRepository(app).entriesFrom(4, 2));
    for (const from of [0, 4])
      await expect(app.transaction((m) => facts.write(m, shadow, rows, { from, next: 6 }))).rejects.toThrow(
        `projection position facts:rebuild is not at ${from}: a page would be skipped or applied twice`,
      );
    const summary = await rebuildProjection(app, facts);
    expect(summary).toMatchObject({ resumedFrom: 2, entries: events.length + 1 });
  });

  it('writes index keys as PostgreSQL reads them back, whatever characters they hold', async () => {
    const keys = ['output/a"b', 'model/c\\d', 'e,f', '{g}', 'NULL', ' h ', 'ünïcode'];
    expect((await app.query('SELECT $1::text[] AS k', [textArray(keys)]))[0].k).toEqual(keys);
  });

  it('lets the service role rebuild projection tables only: the log is refused by the definer functions', async () => {
    for (const fn of ['rebuild_prepare', 'rebuild_index', 'rebuild_swap'])
      for (const table of ['entries', 'tree_nodes', 'checkpoints', 'facts_rebuild'])
        await expect(app.query(`SELECT ledger.${fn}($1::text[])`, [[table]])).rejects.toThrow(
          `ledger.${table} is not a projection table the service may rebuild`,
        );
    await expect(app.query('DROP TABLE ledger.facts')).rejects.toThrow(/must be owner/);
  });
});
