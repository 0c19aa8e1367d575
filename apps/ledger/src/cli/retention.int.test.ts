import { subjectOf } from '@aal/contracts';
import { eventually, testCheckpointSettings } from '@aal/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { incidentScenario, investigators, referIncident } from '../investigations/testing/case-scenario';
import { capturedIo } from '../testing/captured-io';
import { TestLedger } from '../testing/test-ledger';
import { EXIT, runLedgerCli } from './ledger-cli';

/**
 * `ledger retention` against a real ledger database: the dry run counts, per purged table, what a
 * run would delete and what a legal hold keeps, and deletes nothing; the run itself deletes exactly
 * what the dry run said, keeping the held case's rows; a period below its floor is refused.
 */
describe('ledger retention', () => {
  const { lead } = investigators;
  const DAY = 86_400_000;
  const scenario = incidentScenario();
  let ledger: TestLedger;
  let admin: Client;
  let dir: string;
  let caseId: string;

  const cli = async (argv: string[], extraEnv: Record<string, string> = {}) => {
    const { io, stdout, stderr } = capturedIo(dir);
    const env = { DATABASE_URL: ledger.db.adminUrl, DATABASE_APP_PASSWORD: ledger.db.settings.appPassword, ...extraEnv };
    const status = await runLedgerCli(['retention', ...argv], { ...io, env });
    return { status, stdout: stdout(), stderr: stderr() };
  };
  const rejection = (offset: number, subject: string, ageDays: number) =>
    admin.query(
      `INSERT INTO ledger.rejections (kafka_topic, kafka_partition, kafka_offset, reason, headers, rejected_at)
       VALUES ('retention-cli', 0, $1, 'schema invalid', $2, $3)`,
      [offset, JSON.stringify({ ce_subject: subject }), new Date(Date.now() - ageDays * DAY)],
    );
  const rejectionsLeft = async () =>
    (
      await admin.query<{ kafka_offset: string }>(
        "SELECT kafka_offset FROM ledger.rejections WHERE kafka_topic = 'retention-cli' ORDER BY 1",
      )
    ).rows.map((r) => Number(r.kafka_offset));
  const caseOutboxRows = async () =>
    (await admin.query("SELECT count(*)::int AS n FROM ledger.outbox WHERE headers->>'ce_subject' = $1", [subjectOf('case', caseId)]))
      .rows[0].n as number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-retention-'));
    ledger = await TestLedger.start('retention-cli', { checkpoints: testCheckpointSettings('retention-cli.test/aal').settings });
    admin = new Client({ connectionString: ledger.db.adminUrl });
    await admin.connect();
    await ledger.publish(scenario.events);
    expect((await referIncident(ledger.call, scenario.ids.incidentId, 'Referral SW-2026-204')).status).toBe(201);
    const opened = await eventually(
      () => ledger.call('POST', '/cases', { caller: lead, body: { title: 'Held case', incidentId: scenario.ids.incidentId } }),
      (r) => r.status !== 404,
      30000,
      'the referred incident in the ledger',
    );
    expect(opened.status).toBe(201);
    caseId = opened.body.caseId;
    expect(
      (await ledger.call('POST', `/cases/${caseId}/hold`, { caller: lead, body: { reason: 'Inquest ref. CO-2026-512' } })).status,
    ).toBe(200);
    await rejection(1, subjectOf('case', caseId), 400);
    await rejection(2, subjectOf('output', scenario.ids.outputId), 400);
    await rejection(3, subjectOf('output', 'out-no-case-holds-this'), 400);
    await rejection(4, subjectOf('output', 'out-no-case-holds-this'), 10);
  });

  afterAll(async () => {
    await admin?.end();
    await ledger?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a held case and rows past their period, when run with --dry-run, then it counts what a run would purge and what the hold keeps, and deletes nothing', async () => {
    // The case's own events, once in the log, are copies in the outbox; made old, only the hold keeps them.
    await eventually(
      async () =>
        (
          await admin.query(
            "SELECT count(*)::int AS n FROM ledger.outbox o WHERE o.headers->>'ce_subject' = $1 AND EXISTS (SELECT 1 FROM ledger.entries e WHERE e.event_id = o.event_id::text)",
            [subjectOf('case', caseId)],
          )
        ).rows[0].n as number,
      (n) => n >= 2,
      30000,
      "the case's events in the log",
    );
    await admin.query("UPDATE ledger.outbox SET published_at = now() - interval '60 days' WHERE headers->>'ce_subject' = $1", [
      subjectOf('case', caseId),
    ]);
    const outboxBefore = await caseOutboxRows();

    const json = await cli(['--dry-run', '--json']);
    expect(json).toMatchObject({ status: EXIT.ok, stderr: '' });
    const preview = JSON.parse(json.stdout);
    expect(preview).toMatchObject({
      dryRun: true,
      holds: [{ caseId, placedBy: lead, reason: 'Inquest ref. CO-2026-512', subjects: expect.any(Number) }],
    });
    // Past 365 days: the case's own row (1) and its output's (2), which the hold keeps, and another output's (3), due.
    expect(preview.tables.find((t: { table: string }) => t.table === 'rejections')).toMatchObject({
      days: 365,
      variable: 'RETENTION_LEDGER_REJECTIONS_DAYS',
      due: 1,
      held: 2,
    });
    // The case's events in the outbox, copies of entries and past 30 days: all kept by the hold.
    expect(preview.tables.find((t: { table: string }) => t.table === 'outbox')).toMatchObject({ days: 30, due: 0, held: outboxBefore });

    const text = await cli(['--dry-run']);
    expect(text.status).toBe(EXIT.ok);
    expect(text.stdout).toMatch(/^ledger retention --dry-run at \S+: nothing deleted\n/);
    expect(text.stdout).toContain(`legal holds: 1 in force; their rows are kept whatever their age:\n  case ${caseId}: placed `);
    expect(text.stdout).toMatch(
      /\nledger\.rejections: 1 rows past 365 days \(before \S+; RETENTION_LEDGER_REJECTIONS_DAYS\) would be purged, 2 more past it kept by a legal hold\n/,
    );
    expect(text.stdout).toContain('never purged: the log (ledger.entries, ledger.tree_nodes, ledger.checkpoints, ledger.cosignatures)');
    expect(await rejectionsLeft()).toEqual([1, 2, 3, 4]);
    expect(await caseOutboxRows()).toBe(outboxBefore);
  });

  it('given the same rows, when run, then it purges the one row the dry run counted and keeps the held case’s rows and the fresh one', async () => {
    const outboxBefore = await caseOutboxRows();
    const run = await cli(['--json']);
    expect(run).toMatchObject({ status: EXIT.ok, stderr: '' });
    const outcome = JSON.parse(run.stdout);
    expect(outcome).toMatchObject({ dryRun: false, holds: [{ caseId }] });
    expect(outcome.tables.find((t: { table: string }) => t.table === 'rejections')).toMatchObject({ purged: 1, complete: true });
    expect(outcome.tables.find((t: { table: string }) => t.table === 'outbox')).toMatchObject({ purged: 0, complete: true });
    expect(await rejectionsLeft()).toEqual([1, 2, 4]);
    expect(await caseOutboxRows()).toBe(outboxBefore);
    // Nothing more is due: a second run purges none.
    expect(
      JSON.parse((await cli(['--dry-run', '--json'])).stdout).tables.find((t: { table: string }) => t.table === 'rejections').due,
    ).toBe(0);
  });

  it('given a period below its floor, when run, then it refuses, naming the variable, and deletes nothing', async () => {
    const refused = await cli(['--dry-run'], { RETENTION_LEDGER_REJECTIONS_DAYS: '30' });
    expect(refused.status).toBe(EXIT.failed);
    expect(refused.stderr).toContain('RETENTION_LEDGER_REJECTIONS_DAYS is 30 days, below the minimum of 183');
    expect(await rejectionsLeft()).toContain(1);
  });
});
