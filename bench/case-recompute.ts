import { asciiJson, type CaseBundle, verifyCaseBundle } from '@aal/verifier';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manyOutputsCase } from '../libs/verifier/src/testing/many-outputs-case-fixture';
import { runBench } from './bench-support';

/**
 * What recomputing the answers adds to `ledger-verify --bundle`: a generated case of BENCH_OUTPUTS
 * outputs (default 1,000; each generated, presented and acted on, all under one model and
 * deployment, so ~3 entries per output), exported with an answer per output as the ledger does.
 * Baseline in the same run: the same bundle with no answers to recompute (entries and inclusion
 * proofs only). Prints both times and the ratio, for the engine in memory and for the CLI (wall
 * time and the CLI process's own CPU time).
 *   npm run bench:recompute
 * Both bundles are written as the ledger writes an export (ASCII JSON, shared answer values once).
 * BENCH_ROUNDS (default 5) sets the rounds; BENCH_FORMAT=v1 writes every answer whole. BENCH_KEEP=<folder> writes the two bundles there and
 * keeps them, to profile the CLI on them
 * (`node --cpu-prof bin/ledger-verify.js --bundle <folder>/case.json --key <the printed key>`).
 */
const OUTPUTS = Number(process.env['BENCH_OUTPUTS'] ?? 1000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
/** BENCH_FORMAT=v1 writes the answers whole, as aal-case-export/v1 did, to compare the formats. */
const FORMAT = process.env['BENCH_FORMAT'] === 'v1' ? ('aal-case-export/v1' as const) : undefined;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function main(): void {
  const keep = process.env['BENCH_KEEP'];
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'case-recompute-'));
  if (keep) mkdirSync(keep, { recursive: true });
  try {
    let started = process.hrtime.bigint();
    const { bundle, entriesOnly, verifierKey, key, origin } = manyOutputsCase(OUTPUTS, FORMAT ? { format: FORMAT } : {});
    const generatedMs = ms(started);
    // Written as the ledger's export writes them (case-evidence.query.ts, cases.controller.ts).
    const full = asciiJson(bundle);
    const bare = asciiJson(entriesOnly);
    const fullPath = join(dir, 'case.json');
    const barePath = join(dir, 'case-entries-only.json');
    writeFileSync(fullPath, full);
    writeFileSync(barePath, bare);
    if (keep) process.stdout.write(`bundles kept in ${dir}; verifier key ${verifierKey}\n`);
    const engine = { bare: [] as number[], full: [] as number[] };
    const cli = { bare: [] as number[], full: [] as number[] };
    const cpu = { bare: [] as number[], full: [] as number[] };
    // The CLI's own CPU time (all its threads, GC helpers included), written by a preload at exit:
    // on a shared machine it moves far less with other load than the wall time does.
    const preload = join(dir, 'cpu-time.js');
    writeFileSync(
      preload,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: this string is the preload's source, which has a template literal of its own
      "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`\\ncpu-ms ${(u.user + u.system) / 1000}\\n`); });\n",
    );
    const run = (path: string) => {
      const at = process.hrtime.bigint();
      const r = spawnSync(
        process.execPath,
        ['-r', preload, join(__dirname, '..', '..', 'bin', 'ledger-verify.js'), '--bundle', path, '--key', verifierKey],
        { encoding: 'utf8' },
      );
      const millis = ms(at);
      if (r.status !== 0) throw new Error(`ledger-verify exited ${r.status}: ${r.stderr}`);
      const cpuMs = Number(/cpu-ms ([0-9.]+)/.exec(r.stderr)?.[1] ?? Number.NaN);
      return { millis, cpuMs, stdout: r.stdout };
    };
    let said = '';
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, text] of [
        ['bare', bare],
        ['full', full],
      ] as const) {
        started = process.hrtime.bigint();
        const outcome = verifyCaseBundle(JSON.parse(text) as CaseBundle, { key, origin });
        const took = ms(started);
        if (!outcome.ok) throw new Error(`the bench bundle did not verify: ${outcome.problem.detail.slice(0, 300)}`);
        if (name === 'full' && outcome.recomputedAnswers !== OUTPUTS)
          throw new Error(`recomputed ${outcome.recomputedAnswers} answers, not ${OUTPUTS}`);
        engine[name].push(took);
      }
      const b = run(barePath);
      cli.bare.push(b.millis);
      cpu.bare.push(b.cpuMs);
      const r = run(fullPath);
      cli.full.push(r.millis);
      cpu.full.push(r.cpuMs);
      said = r.stdout;
    }
    const ratio = (a: number[], b: number[]) => median(b) / median(a);
    // Each round runs the baseline and then the check back to back, so the ratio within a round
    // shares its moment's load; their median moves less on a busy machine than a ratio of medians.
    const paired = (a: number[], b: number[]) => median(b.map((v, i) => v / a[i]!));
    const rounds = (a: number[], b: number[]) => b.map((v, i) => fmt(v / a[i]!, 2)).join(' ');
    const rows: Array<[string, string]> = [
      [
        'case',
        `${fmt(OUTPUTS)} outputs, ${fmt(bundle.entries.length)} proven entries, bundle ${fmt(full.length / 2 ** 20, 1)} MiB (generated in ${fmt(generatedMs)} ms)`,
      ],
      ['engine, entries and proofs only', `${fmt(median(engine.bare), 1)} ms`],
      [
        'engine, with every answer recomputed',
        `${fmt(median(engine.full), 1)} ms  (ratio ${fmt(ratio(engine.bare, engine.full), 2)}, +${fmt((ratio(engine.bare, engine.full) - 1) * 100, 0)} %; ${fmt(((median(engine.full) - median(engine.bare)) / OUTPUTS) * 1000, 0)} µs per output)`,
      ],
      ['CLI, entries and proofs only', `${fmt(median(cli.bare), 0)} ms`],
      [
        'CLI, with every answer recomputed',
        `${fmt(median(cli.full), 0)} ms  (ratio ${fmt(ratio(cli.bare, cli.full), 2)}, +${fmt((ratio(cli.bare, cli.full) - 1) * 100, 0)} %)`,
      ],
      ['CLI CPU time, entries and proofs only', `${fmt(median(cpu.bare), 0)} ms`],
      [
        'CLI CPU time, with every answer',
        `${fmt(median(cpu.full), 0)} ms  (ratio ${fmt(ratio(cpu.bare, cpu.full), 2)}, +${fmt((ratio(cpu.bare, cpu.full) - 1) * 100, 0)} %)`,
      ],
      ['CLI wall ratio per round', `${rounds(cli.bare, cli.full)}  (median ${fmt(paired(cli.bare, cli.full), 2)})`],
      ['CLI CPU ratio per round', `${rounds(cpu.bare, cpu.full)}  (median ${fmt(paired(cpu.bare, cpu.full), 2)})`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(
      `\nCLI says: ${said}\nanswer recomputation in ledger-verify --bundle, median of ${ROUNDS} rounds\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n`,
    );
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
