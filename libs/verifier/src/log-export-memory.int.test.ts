import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGeneratedLogExport } from './testing/log-fixture';

// Constant memory, end to end: ledger-verify (bin/ledger-verify.js, a child process) verifies a
// 300,000-entry log export of about 330 MB with V8's old space capped at 64 MB. Holding the
// entries, or the file as one string, needs several times that (the JSON bundle of such a log
// does not fit), so the process would die of heap exhaustion (exit 134) instead of exiting 0.

const BIN = join(__dirname, '..', '..', '..', 'bin', 'ledger-verify.js');
const ENTRIES = 300_000;
const HEAP_MB = 64;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'log-export-memory-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it(`given a ${ENTRIES.toLocaleString('en-GB')}-entry log export, when ledger-verify runs with a ${HEAP_MB} MB heap, then it verifies every entry`, async () => {
  const path = join(dir, 'big.ndjson');
  const log = await writeGeneratedLogExport(path, ENTRIES, 1000);
  const bytes = statSync(path).size;
  expect(bytes).toBeGreaterThan(5 * HEAP_MB * 2 ** 20);
  const run = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${HEAP_MB}`,
      BIN,
      '--bundle',
      path,
      '--key',
      log.verifierKey,
      '--state',
      join(dir, 'state.json'),
      '--no-progress',
    ],
    { encoding: 'utf8', timeout: 400_000 },
  );
  expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toMatchObject({ status: 0, signal: null });
  expect(run.stdout).toMatch(
    new RegExp(`^verified test\\.local/aal-ledger: ${ENTRIES} entries, ${ENTRIES / 1000} checkpoints; latest tree size ${ENTRIES}, `),
  );
}, 600_000);
