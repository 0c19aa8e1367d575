import { entryLeafHash } from '@aal/ledger-core';
import { BundleSource, LogVerifier, verifyLog } from '@aal/verifier';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTestLog, logExportLines, toBundle } from '../libs/verifier/src/testing/log-fixture';
import { runBench } from './bench-support';

/**
 * Offline verification rate of `ledger-verify` on a generated bundle of BENCH_ENTRIES entries
 * (default 200,000; realistic ~500-byte CloudEvents) with a signed checkpoint every
 * BENCH_CHECKPOINT_EVERY entries (default 1,000). Reports entries/s for the engine alone, for
 * the library reading the bundle file, and for the CLI end to end (a fresh process) on the JSON
 * bundle (aal-ledger-export/v1) and on the streamed log export of the same log (aal-log-export/v1,
 * as `ledger export` writes it), against a floor measured in the same run: recomputing the leaf
 * hashes alone.
 *   npm run build && node -r ./scripts/register-paths.js dist/bench/verify-rate.js
 */
const SIZE = Number(process.env['BENCH_ENTRIES'] ?? 200_000);
const EVERY = Number(process.env['BENCH_CHECKPOINT_EVERY'] ?? 1000);
const ROUNDS = 3;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'verify-rate-'));
  try {
    let started = process.hrtime.bigint();
    const sizes = Array.from({ length: Math.floor(SIZE / EVERY) }, (_, i) => (i + 1) * EVERY);
    if (sizes[sizes.length - 1] !== SIZE) sizes.push(SIZE);
    const log = buildTestLog(SIZE, sizes, 'bench.local/aal-ledger');
    const generated = seconds(started);
    const bundlePath = join(dir, 'bundle.json');
    writeFileSync(bundlePath, JSON.stringify(toBundle(log)));
    const bundleBytes = statSync(bundlePath).size;
    const exportPath = join(dir, 'export.ndjson');
    const fd = openSync(exportPath, 'w');
    let batch = '';
    for (const line of logExportLines(log.origin, log.verifierKey, log.entries, log.checkpoints)) {
      batch += line;
      if (batch.length > 1 << 20) {
        writeSync(fd, batch);
        batch = '';
      }
    }
    writeSync(fd, batch);
    closeSync(fd);
    const exportBytes = statSync(exportPath).size;

    const floor: number[] = [];
    const engine: number[] = [];
    const library: number[] = [];
    const cli: number[] = [];
    const streamed: number[] = [];
    const runCli = (file: string, state: string) => {
      const run = spawnSync(
        process.execPath,
        [
          join(__dirname, '..', '..', 'bin', 'ledger-verify.js'),
          '--bundle',
          file,
          '--key',
          log.verifierKey,
          '--state',
          join(dir, state),
          '--no-progress',
        ],
        { encoding: 'utf8' },
      );
      if (run.status !== 0) throw new Error(`ledger-verify exited ${run.status}: ${run.stderr}`);
      return run.stdout;
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      started = process.hrtime.bigint();
      for (const entry of log.entries) entryLeafHash({ ...entry, value: Buffer.from(entry.value, 'base64') });
      floor.push(SIZE / seconds(started));

      started = process.hrtime.bigint();
      const verifier = new LogVerifier({ key: log.key, origin: log.origin, checkpoints: log.checkpoints });
      for (let i = 0; i < SIZE; i += 1000) verifier.push(log.entries.slice(i, i + 1000));
      const outcome = verifier.finish();
      if (!outcome.ok || outcome.entries !== SIZE)
        throw new Error(`engine did not verify the bundle: ${JSON.stringify(outcome).slice(0, 300)}`);
      engine.push(SIZE / seconds(started));

      started = process.hrtime.bigint();
      const result = await verifyLog(await BundleSource.fromFile(bundlePath), { key: log.key, origin: log.origin, trusted: null });
      if (!result.ok) throw new Error(`library did not verify the bundle: ${result.problem.detail}`);
      library.push(SIZE / seconds(started));

      started = process.hrtime.bigint();
      const said = runCli(bundlePath, `state-${round}.json`);
      cli.push(SIZE / seconds(started));

      started = process.hrtime.bigint();
      const saidStreamed = runCli(exportPath, `streamed-state-${round}.json`);
      streamed.push(SIZE / seconds(started));
      if (round === ROUNDS - 1) process.stdout.write(`\nCLI says (JSON bundle): ${said}CLI says (log export): ${saidStreamed}`);
    }

    const rows: Array<[string, string]> = [
      ['entries', `${fmt(SIZE)} (${fmt(sizes.length)} signed checkpoints, bundle ${fmt(bundleBytes / 2 ** 20, 1)} MiB)`],
      ['generating the log', `${fmt(generated, 1)} s`],
      ['floor: leaf hashes only', `${fmt(median(floor))} entries/s`],
      ['engine (in memory)', `${fmt(median(engine))} entries/s  (${fmt(median(engine) / median(floor), 2)} × floor)`],
      ['library (bundle file)', `${fmt(median(library))} entries/s  (${fmt(median(library) / median(floor), 2)} × floor)`],
      ['CLI, JSON bundle (new process)', `${fmt(median(cli))} entries/s  (${fmt(median(cli) / median(floor), 2)} × floor)`],
      [
        'CLI, log export (new process)',
        `${fmt(median(streamed))} entries/s  (${fmt(median(streamed) / median(floor), 2)} × floor; file ${fmt(exportBytes / 2 ** 20, 1)} MiB)`,
      ],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(
      `\nledger-verify rate, median of ${ROUNDS} rounds\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
