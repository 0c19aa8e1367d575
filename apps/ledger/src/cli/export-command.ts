import { appDataSourceOptions, databaseSettingsFromEnv } from '@aal/database';
import { verifierKeyString } from '@aal/ledger-core';
import { logExportCheckpointLine, logExportEndLine, logExportEntryLine, logExportHeaderLine, type WireCheckpoint } from '@aal/verifier';
import type { Command } from 'commander';
import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { LEDGER_SCHEMA } from '../database/ledger.schema';
import { checkpointJson } from '../log/application/checkpoint-json';
import { CheckpointRepository } from '../log/infrastructure/checkpoint.repository';
import { EntriesRepository } from '../log/infrastructure/entries.repository';
import { signerFromEnv } from '../log/infrastructure/signing-key';
import type { LedgerCliIo } from './ledger-cli';

/** Entries read per query: memory holds one page, whatever the log's size. */
const PAGE = 1000;

interface ExportOptions {
  readonly out: string;
  readonly to?: string;
}

/**
 * `ledger export --out <file> [--to <size>]`: the whole log (or its first `size` entries) as an
 * `aal-log-export/v1` file (libs/verifier log-export-format.ts), which `ledger-verify --bundle`
 * checks streamed; also the backup format (docs/operations.md). Entries are read from the
 * database in pages by seq and written with backpressure, so memory stays bounded; entries never
 * change once committed, so the pages need no transaction. The file is written as `<file>.partial`
 * and renamed when complete. The origin and verifier key announced are the service's own
 * (`LEDGER_ORIGIN`, `LEDGER_SIGNING_KEY_FILE`), read as the service reads them.
 */
export function registerExportCommand(program: Command, io: LedgerCliIo, run: (action: () => Promise<number>) => void): void {
  program
    .command('export')
    .description(
      'Write the log as an aal-log-export/v1 file (one JSON item per line: entries, each signed checkpoint after the entries it covers), ' +
        'for `ledger-verify --bundle <file>` and as a backup. Safe while the service runs: it exports the entries recorded when it starts.',
    )
    .requiredOption('--out <file>', 'the file to write (replaced when the export is complete)')
    .option('--to <size>', 'export only the first <size> entries (seq 0 to size − 1), e.g. up to a checkpoint')
    .action((options: ExportOptions) => run(() => exportLog(options, io)));
}

async function exportLog(options: ExportOptions, io: LedgerCliIo): Promise<number> {
  const to = options.to === undefined ? undefined : Number(options.to);
  if (to !== undefined && (!Number.isSafeInteger(to) || to < 0)) {
    io.stderr.write(`ledger export: --to must be a count of entries, not ${JSON.stringify(options.to)}\n`);
    return 2;
  }
  const { origin, signer } = signerFromEnv(io.env);
  const dataSource = new DataSource(appDataSourceOptions(databaseSettingsFromEnv(io.env), LEDGER_SCHEMA, [], 1));
  await dataSource.initialize();
  const path = resolve(options.out);
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  try {
    const entries = new EntriesRepository(dataSource.manager);
    const checkpoints = new CheckpointRepository(dataSource.manager);
    const [{ n }] = (await dataSource.query('SELECT coalesce(max(seq) + 1, 0) AS n FROM ledger.entries')) as [{ n: string }];
    const size = Math.min(Number(n), to ?? Number.MAX_SAFE_INTEGER);
    const latestStored = await checkpoints.atOrBeforeSize(size);
    const latest = latestStored ? checkpointJson(latestStored) : null;
    const verifierKey = verifierKeyString(signer.name, signer.publicKey);
    await write(out, logExportHeaderLine({ origin, verifierKey, exportedAt: new Date().toISOString(), entries: size, latest }));

    const due = checkpointCursor(checkpoints, size);
    let written = 0;
    for (const checkpoint of await due(0)) await write(out, logExportCheckpointLine(checkpoint));
    for (let from = 0; from < size; ) {
      const page = await entries.range(from, Math.min(PAGE, size - from));
      if (page.length === 0 || page[0]!.seq !== from) throw new Error(`the log has no entry ${from} although it holds ${size}`);
      let lines = '';
      for (const e of page) {
        lines += logExportEntryLine(e, e.leafHash, e.chainHash);
        for (const checkpoint of await due(e.seq + 1)) lines += logExportCheckpointLine(checkpoint);
      }
      await write(out, lines);
      from += page.length;
      written = from;
    }
    await write(out, logExportEndLine(written, due.count()));
    out.end();
    await once(out, 'finish');
    renameSync(partial, path);
    io.stdout.write(
      `exported ${written} entries and ${due.count()} checkpoints (latest tree size ${latest?.treeSize ?? 'none'}) to ${path}\n`,
    );
    return 0;
  } catch (err) {
    out.destroy();
    rmSync(partial, { force: true });
    throw err;
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The checkpoints due after the entries below `treeSize`, read in pages by (tree size, id) as the
 * export advances: at most one page of checkpoints is held at a time.
 */
function checkpointCursor(repository: CheckpointRepository, maxSize: number) {
  let buffered: WireCheckpoint[] = [];
  let after = { treeSize: -1, id: 0 };
  let exhausted = false;
  let count = 0;
  const due = async (treeSize: number): Promise<WireCheckpoint[]> => {
    const ready: WireCheckpoint[] = [];
    for (;;) {
      while (buffered.length > 0 && buffered[0]!.treeSize <= treeSize) {
        ready.push(buffered.shift()!);
        count += 1;
      }
      if (buffered.length > 0 || exhausted) return ready;
      const page = await repository.bySizeAfter(after, maxSize, PAGE);
      if (page.length < PAGE) exhausted = true;
      if (page.length === 0) return ready;
      buffered = page.map(checkpointJson);
      const last = page[page.length - 1]!;
      after = { treeSize: last.treeSize, id: last.id };
    }
  };
  return Object.assign(due, { count: () => count });
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}
