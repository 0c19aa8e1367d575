import type { CloudEvent } from '@aal/contracts';
import { withDatabase } from '@aal/database';
import { deploymentSuspended, eventually, outputChainEvents, outputChainIds, safetyNoticeIssued, tokenFor } from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { capturedIo } from '../testing/captured-io';
import { TestLedger } from '../testing/test-ledger';
import { EXIT, runLedgerCli } from './ledger-cli';

/**
 * `ledger rebuild` replays the log into fresh projections while the service runs, and the
 * accountability answers afterwards are byte for byte what they were before. To show the replay
 * really happened, the projection is damaged first (as a superuser: rows lost, a row changed).
 */
describe('ledger rebuild', () => {
  let ledger: TestLedger;
  let token: string;
  const base = Date.now() - 13 * 60_000;
  const t = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  const ids = outputChainIds(`out-rebuild-${randomUUID().slice(0, 8)}`);
  const events: CloudEvent<unknown>[] = [
    ...outputChainEvents(ids, base),
    deploymentSuspended(ids, { effectiveAt: t(9), reason: 'Alarm fatigue reported.', time: t(12) }),
    safetyNoticeIssued(ids, { severity: 'medium', summary: 'Drift on night shifts.', requiredAction: 'Audit.', time: t(7) }),
  ];
  const questions = ['', `?asOf=${encodeURIComponent(t(8))}`, '?knownAt=9', '?knownAt=2100-01-01T00:00:00Z'];

  const answerText = async (query: string): Promise<string> => {
    const res = await fetch(`${ledger.baseUrl}/outputs/${ids.outputId}/accountability${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`answered ${res.status}: ${text}`);
    return text;
  };
  const cli = async (argv: string[]) => {
    const { io, stdout, stderr } = capturedIo(process.cwd());
    const { db } = ledger;
    const status = await runLedgerCli(argv, { ...io, env: { DATABASE_URL: db.adminUrl, DATABASE_APP_PASSWORD: db.settings.appPassword } });
    return { status, stdout: stdout(), stderr: stderr() };
  };

  beforeAll(async () => {
    ledger = await TestLedger.start('ledger-rebuild');
    token = await tokenFor(
      { organisationId: 'st-swithins', personId: 'psn_investigator02', role: 'investigator' },
      { roles: ['auditor'], grants: ['all-organisations'] },
    );
    await ledger.publish(events);
    await eventually(
      () => answerText('').then((text) => JSON.parse(text) as { knownAt: { seq: number } }),
      (a) => a.knownAt.seq === events.length - 1,
      60000,
      'every entry projected',
    );
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it('replays the log into the damaged projection, and every answer is byte-identical to the one before', async () => {
    const before = await Promise.all(questions.map(answerText));
    expect(JSON.parse(before[0]!).findings.map((f: { code: string }) => f.code)).toEqual(
      expect.arrayContaining([
        'DEPLOYMENT.NOT_ACTIVE_AT_TIME',
        'SAFETY_NOTICE.NO_EMPLOYER_RESPONSE',
        'ACTION.OVERRIDDEN',
        'RECORDING.BACK_DATED',
      ]),
    );

    await ledger.asAdmin(async (client) => {
      // The projection is an index: damage it by losing rows and keys (its copied data is no longer read).
      await client.query(
        `DELETE FROM ledger.facts f USING ledger.entries e WHERE f.seq = e.seq AND e.type IN ('aal.deployment.approved.v2', 'aal.training.recorded.v1')`,
      );
      await client.query(
        `UPDATE ledger.facts f SET keys = '{}' FROM ledger.entries e WHERE f.seq = e.seq AND e.type = 'aal.output.acted-on.v1'`,
      );
    });
    // Damaged, the answer differs; it may even be a 404 when the log's last entry was among the rows deleted.
    const damaged = await fetch(`${ledger.baseUrl}/outputs/${ids.outputId}/accountability`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(damaged.status === 200 ? await damaged.text() : damaged.status).not.toBe(before[0]);

    const rebuilt = await cli(['rebuild', '--json']);
    expect(rebuilt.stderr).toBe('');
    expect(rebuilt.status).toBe(EXIT.ok);
    const summaries = rebuilt.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(summaries).toMatchObject([
      { projection: 'facts', entries: events.length, previousPosition: events.length },
      { projection: 'oversight', entries: events.length, previousPosition: events.length },
    ]);

    const after = await Promise.all(questions.map(answerText));
    expect(after).toEqual(before);
    const counts = await ledger.asAdmin(
      async (client) =>
        (await client.query('SELECT (SELECT count(*) FROM ledger.facts) AS facts, (SELECT count(*) FROM ledger.entries) AS entries'))
          .rows[0],
    );
    expect(Number(counts.facts)).toBe(Number(counts.entries));
  });

  it('prints a one-line summary without --json, and rebuilding twice changes nothing', async () => {
    const before = await answerText('');
    const run = await cli(['rebuild']);
    expect(run.status).toBe(EXIT.ok);
    const line = (projection: string) =>
      `rebuilt projection ${projection}: replayed ${events.length} entries \\(it had reached ${events.length}\\) in \\d+\\.\\d s\\n`;
    expect(run.stdout).toMatch(new RegExp(`^${line('facts')}${line('oversight')}$`));
    expect(await answerText('')).toBe(before);
  });

  it('draws a progress bar per projection on a terminal, through to the swap, and none with --no-progress', async () => {
    const terminal = async (argv: string[]) => {
      const err: string[] = [];
      const status = await runLedgerCli(argv, {
        stdout: { write: () => undefined },
        stderr: { write: (s: string) => err.push(s), isTTY: true },
        env: { DATABASE_URL: ledger.db.adminUrl, DATABASE_APP_PASSWORD: ledger.db.settings.appPassword },
      });
      return { status, stderr: err.join('') };
    };
    const drawn = await terminal(['rebuild']);
    expect(drawn.status).toBe(EXIT.ok);
    for (const projection of ['facts', 'oversight'])
      expect(drawn.stderr).toContain(
        `rebuilding ${projection} [${'\u2588'.repeat(40)}] 100% | ${events.length}/${events.length} entries | swapped`,
      );
    expect(await terminal(['rebuild', '--no-progress'])).toEqual({ status: EXIT.ok, stderr: '' });
  });

  it('refuses an unknown command or option with the usage status, and answers --help with success', async () => {
    expect((await cli(['rebuidl'])).status).toBe(EXIT.usage);
    expect((await cli(['rebuild', '--fast'])).status).toBe(EXIT.usage);
    const help = await cli(['--help']);
    expect(help.status).toBe(EXIT.ok);
    expect(help.stdout).toContain('rebuild');
  });

  it('fails with status 1 and a message when the database cannot be reached', async () => {
    const err: string[] = [];
    const status = await runLedgerCli(['rebuild'], {
      stdout: { write: () => undefined },
      stderr: { write: (s: string) => err.push(s) },
      env: {
        DATABASE_URL: withDatabase(ledger.db.adminUrl, 'aal_no_such_database'),
        DATABASE_APP_PASSWORD: ledger.db.settings.appPassword,
      },
    });
    expect(status).toBe(EXIT.failed);
    expect(err.join('')).toMatch(/^ledger: .*aal_no_such_database/);
  });
});
