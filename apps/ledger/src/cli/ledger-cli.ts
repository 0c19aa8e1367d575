import 'reflect-metadata';
import { appDataSourceOptions, databaseSettingsFromEnv } from '@aal/database';
import { Presets, SingleBar } from 'cli-progress';
import { Command, CommanderError } from 'commander';
import { DataSource } from 'typeorm';
import {
  factsProjection,
  rebuildProjection,
  type RebuildProgress,
  type RebuildSummary,
} from '../accountability/application/projection-rebuild';
import { LEDGER_SCHEMA } from '../database/ledger.schema';
import { registerDeadLetterCommands } from './dead-letter-commands';
import { registerExportCommand } from './export-command';
import { registerRetentionCommand } from './retention-command';
import { oversightProjection } from '../oversight/application/oversight-rebuild';

/** Exit statuses of `ledger`. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface LedgerCliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

const processIo = (): LedgerCliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });

/**
 * `ledger`: operator commands of the ledger service. `dead-letters` and `redrive` triage and
 * re-publish refused events (see dead-letter-commands.ts). `export` writes the log as an
 * aal-log-export/v1 file, for ledger-verify and as a backup (see export-command.ts). `retention`
 * runs the retention job once, or counts what it would purge with `--dry-run` (retention-command.ts). `rebuild`
 * replays the whole log into shadow projections page by page and swaps each in when complete, one
 * after the other (see rebuildProjection). It connects like the service does: to the database of
 * `DATABASE_URL` as the ledger's app role (`DATABASE_APP_PASSWORD`), which may rebuild projection
 * tables and nothing else. Returns the exit status: 0 done, 1 failed, 2 usage.
 */
export async function runLedgerCli(argv: readonly string[], io: LedgerCliIo = processIo()): Promise<number> {
  let action: (() => Promise<number>) | undefined;
  const program = new Command('ledger')
    .description('Operator commands of the AI Accountability Ledger service.')
    .exitOverride()
    .showHelpAfterError('(run ledger --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  program
    .command('rebuild')
    .description(
      'Rebuild the projections (the facts behind accountability answers, then the oversight day cells) by replaying the log from seq 0 into shadow tables, ' +
        'page by page, and swapping each in when complete: answers are served from the old projection until then and are byte-identical afterwards. ' +
        'Safe while the service runs; a rebuild that was stopped resumes where it stopped; a second one at the same time is refused.',
    )
    .option('--no-progress', 'no progress bar on stderr')
    .option('--json', 'print the summary as JSON on stdout')
    .action((options: { progress: boolean; json?: boolean }) => {
      action = () => rebuild(options, io);
    });
  registerDeadLetterCommands(program, io, (chosen) => {
    action = chosen;
  });
  registerExportCommand(program, io, (chosen) => {
    action = chosen;
  });
  registerRetentionCommand(program, io, (chosen) => {
    action = chosen;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw err;
  }
  if (!action) {
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  try {
    return await action();
  } catch (err) {
    io.stderr.write(`ledger: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failed;
  }
}

async function rebuild(options: { progress: boolean; json?: boolean }, io: LedgerCliIo): Promise<number> {
  const dataSource = new DataSource(appDataSourceOptions(databaseSettingsFromEnv(io.env), LEDGER_SCHEMA, [], 2));
  await dataSource.initialize();
  const bar =
    options.progress && io.stderr.isTTY === true
      ? new SingleBar(
          {
            format: 'rebuilding {projection} [{bar}] {percentage}% | {value}/{total} entries | {phase} | {eta}s left',
            stream: io.stderr as NodeJS.WritableStream,
          },
          Presets.shades_classic,
        )
      : null;
  const summaries: RebuildSummary[] = [];
  try {
    for (const projection of [factsProjection(dataSource), oversightProjection(dataSource)]) {
      let started = false;
      summaries.push(
        await rebuildProjection(dataSource, projection, (p: RebuildProgress) => {
          if (!bar) return;
          const payload = { projection: p.projection, phase: p.phase };
          if (!started) bar.start(p.total, p.done, payload);
          else {
            bar.setTotal(p.total);
            bar.update(p.done, payload);
          }
          started = true;
        }),
      );
      bar?.stop();
    }
  } finally {
    bar?.stop();
    await dataSource.destroy();
  }
  for (const summary of summaries) {
    if (options.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
    else
      io.stdout.write(
        `rebuilt projection ${summary.projection}: replayed ${summary.entries} entries (it had reached ${summary.previousPosition})` +
          `${summary.resumedFrom > 0 ? `, resumed at ${summary.resumedFrom}` : ''} in ${(summary.millis / 1000).toFixed(1)} s\n`,
      );
  }
  return EXIT.ok;
}

if (require.main === module) {
  runLedgerCli(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (err) => {
      process.stderr.write(`ledger: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(EXIT.usage);
    },
  );
}
