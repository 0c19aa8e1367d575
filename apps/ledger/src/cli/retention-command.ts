import { appDataSourceOptions, countExpired, databaseSettingsFromEnv, LOG_TABLES, purgeExpired, urlForRole } from '@aal/database';
import { retentionSettingsFromEnv } from '@aal/service-kit';
import type { Command } from 'commander';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AccountabilityQuery } from '../accountability/application/accountability.query';
import { LEDGER_SCHEMA } from '../database/ledger.schema';
import { CaseRelatedQuery } from '../investigations/application/case-related.query';
import { HeldSubjectsQuery, type HeldCase } from '../investigations/application/held-subjects.query';
import { AccountabilityReader } from '../investigations/infrastructure/accountability.reader';
import type { LedgerCliIo } from './ledger-cli';

interface RetentionOptions {
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

/**
 * `ledger retention [--dry-run] [--json]`: one run of the ledger's retention job by hand, with the
 * service's own settings (RETENTION_*, a period below its floor refused as at start-up), connected
 * as the ledger's login role (DELETE on the purged tables only), and asking what a legal hold
 * freezes exactly as the job does (HeldSubjectsQuery). `--dry-run` deletes nothing: it counts, per
 * purged table, the rows past their period that a run would delete and those a legal hold keeps.
 */
export function registerRetentionCommand(program: Command, io: LedgerCliIo, run: (action: () => Promise<number>) => void): void {
  program
    .command('retention')
    .description(
      "Run the ledger's retention job once: delete the rows of the purged tables (docs/retention.md) that are past their period, " +
        'except those a legal hold on a case keeps. The log is never touched. Safe while the service runs.',
    )
    .option('--dry-run', 'delete nothing: count, per table, the rows a run would delete and those a legal hold keeps')
    .option('--json', 'print the outcome as JSON on stdout')
    .action((options: RetentionOptions) => run(() => retention(options, io)));
}

async function retention(options: RetentionOptions, io: LedgerCliIo): Promise<number> {
  const settings = retentionSettingsFromEnv(LEDGER_SCHEMA, io.env);
  const database = databaseSettingsFromEnv(io.env);
  const dataSource = new DataSource(appDataSourceOptions(database, LEDGER_SCHEMA, [], 1));
  const client = new Client({ connectionString: urlForRole(database.adminUrl, LEDGER_SCHEMA.appRole, database.appPassword) });
  await dataSource.initialize();
  try {
    await client.connect();
    const held = new HeldSubjectsQuery(
      dataSource,
      new CaseRelatedQuery(dataSource, new AccountabilityReader(new AccountabilityQuery(dataSource))),
    );
    const cases = await held.cases();
    const heldSubjects = async () => [...new Set(cases.flatMap((c) => c.subjects))].sort();
    const at = new Date();
    const schema = LEDGER_SCHEMA.schema;
    if (options.dryRun) {
      const tables = await countExpired(client, schema, settings.targets, { now: at, heldSubjects });
      if (options.json) io.stdout.write(`${JSON.stringify({ dryRun: true, at: at.toISOString(), holds: holdsJson(cases), tables })}\n`);
      else {
        io.stdout.write(`ledger retention --dry-run at ${at.toISOString()}: nothing deleted\n`);
        writeHolds(io, cases);
        for (const t of tables)
          io.stdout.write(
            `${schema}.${t.table}: ${t.due} rows past ${t.days} days (before ${t.cutoff}; ${t.variable}) would be purged` +
              `${t.held === null ? '' : `, ${t.held} more past it kept by a legal hold`}\n`,
          );
        writeNever(io, schema);
      }
      return 0;
    }
    const tables = await purgeExpired(client, schema, settings.targets, {
      now: at,
      batchSize: settings.batchSize,
      maxBatches: settings.maxBatches,
      // Read again before every batch, as the job does: a hold placed during the run is honoured.
      heldSubjects: () => held.subjects(),
    });
    if (options.json) io.stdout.write(`${JSON.stringify({ dryRun: false, at: at.toISOString(), holds: holdsJson(cases), tables })}\n`);
    else {
      io.stdout.write(`ledger retention at ${at.toISOString()}\n`);
      writeHolds(io, cases);
      for (const t of tables)
        io.stdout.write(
          `${schema}.${t.table}: purged ${t.purged} rows past ${t.days} days (before ${t.cutoff}) in ${t.batches} batches` +
            `${t.complete ? '' : `; stopped at RETENTION_MAX_BATCHES (${settings.maxBatches}), the rest waits for the next run`}\n`,
        );
      writeNever(io, schema);
    }
    return 0;
  } finally {
    await client.end().catch(() => undefined);
    await dataSource.destroy();
  }
}

const holdsJson = (cases: readonly HeldCase[]) =>
  cases.map((c) => ({
    caseId: c.caseId,
    placedAt: c.hold.placedAt,
    placedBy: c.hold.placedBy,
    reason: c.hold.reason,
    subjects: c.subjects.length,
  }));

function writeHolds(io: LedgerCliIo, cases: readonly HeldCase[]): void {
  if (cases.length === 0) {
    io.stdout.write('legal holds: none in force\n');
    return;
  }
  io.stdout.write(`legal holds: ${cases.length} in force; their rows are kept whatever their age:\n`);
  for (const c of cases)
    io.stdout.write(
      `  case ${c.caseId}: placed ${c.hold.placedAt} by ${c.hold.placedBy.personId} (${c.hold.placedBy.organisationId}): ${c.hold.reason}; ` +
        `${c.subjects.length} subjects frozen\n`,
    );
}

function writeNever(io: LedgerCliIo, schema: string): void {
  io.stdout.write(`never purged: the log (${LOG_TABLES.map((t) => `${schema}.${t}`).join(', ')}); every other table is kept or rebuilt\n`);
}
