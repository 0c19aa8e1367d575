import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTestLog, entryContent, rehashFrom, toBundle, type TestLog } from './testing/log-fixture';
import type { WireEntry } from './wire-format';

// bin/ledger-verify.js as a user runs it: a child process on bundle files, judged by exit status
// and message. The first run may build dist/ (the bin does that when it is stale).

const BIN = join(__dirname, '..', '..', '..', 'bin', 'ledger-verify.js');
let dir: string;
let log: TestLog;

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 170_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function bundleFile(name: string, entries: WireEntry[] = log.entries, checkpoints = log.checkpoints): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(toBundle({ ...log, entries, checkpoints })));
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-verify-cli-'));
  log = buildTestLog(60, [20, 40, 60]);
  const help = cli('--help');
  expect(help.stderr).toBe('');
  expect(help.status).toBe(0);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ledger-verify (child process)', () => {
  it('given a valid bundle and the pinned key, when run, then it exits 0 with a one-line summary and saves the trust state', () => {
    const { status, stdout } = cli('--bundle', bundleFile('valid.json'), '--key', log.verifierKey);
    expect(status).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        `^verified test\\.local/aal-ledger: 60 entries, 3 checkpoints; latest tree size 60, root ${log.checkpoints[2]!.rootHash}; \\d+ entries/s\\n$`,
      ),
    );
    expect(existsSync(join(dir, '.ledger-verify', 'test.local-aal-ledger.json'))).toBe(true);
  });

  it('given the key in a file, when run with --key @file, then it verifies', () => {
    writeFileSync(join(dir, 'key.txt'), `${log.verifierKey}\n`);
    expect(cli('--bundle', bundleFile('valid.json'), '--key', '@key.txt', '--state', 'other-state.json').status).toBe(0);
  });

  it('given one byte of a value changed, when run, then it exits 1 naming the seq', () => {
    const entries = log.entries.map((e) => {
      if (e.seq !== 33) return e;
      const value = Buffer.from(e.value, 'base64');
      value[20] = value[20]! ^ 0x04;
      return { ...e, value: value.toString('base64') };
    });
    const { status, stderr } = cli('--bundle', bundleFile('tampered.json', entries), '--key', log.verifierKey, '--state', 'fresh.json');
    expect(status).toBe(1);
    expect(stderr).toMatch(/^ledger-verify: FAILED at seq 33 \(entry-tampered\): entry 33 was changed/);
    expect(stderr).toMatch(/\nevidence: \{"storedLeafHash":"[0-9a-f]{64}","computedLeafHash":"[0-9a-f]{64}","entry":\{/);
    expect(existsSync(join(dir, 'fresh.json'))).toBe(false);
  });

  it('given a middle entry deleted, when run, then it exits 1 naming the missing seq', () => {
    const { status, stderr } = cli(
      '--bundle',
      bundleFile(
        'gap.json',
        log.entries.filter((e) => e.seq !== 45),
      ),
      '--key',
      log.verifierKey,
      '--state',
      'fresh.json',
    );
    expect(status).toBe(1);
    expect(stderr).toMatch(/^ledger-verify: FAILED at seq 45 \(gap\): entry 45 is missing/);
  });

  it('given the tail rewritten with consistent hashes and no new checkpoint, when run, then it exits 1 naming the checkpoint', () => {
    const entries = rehashFrom(
      [
        ...log.entries.slice(0, 50),
        ...Array.from({ length: 10 }, (_, i) => ({ seq: 50 + i, ...entryContent(50 + i, '-rewritten'), leafHash: '', chainHash: '' })),
      ],
      50,
    );
    const { status, stderr } = cli(
      '--bundle',
      bundleFile('rewritten.json', entries),
      '--key',
      log.verifierKey,
      '--state',
      'fresh.json',
      '--json',
    );
    expect(status).toBe(1);
    expect(stderr).toMatch(/^ledger-verify: FAILED at checkpoint of size 60 \(checkpoint-root-mismatch\): .*entries 40 to 59/);
  });

  it('given a trusted size of 60, when a bundle rolled back to 40 is verified, then it exits 1 with rollback', () => {
    const { status, stderr } = cli(
      '--bundle',
      bundleFile('rolled-back.json', log.entries.slice(0, 40), log.checkpoints.slice(0, 2)),
      '--key',
      log.verifierKey,
    );
    expect(status).toBe(1);
    expect(stderr).toContain('FAILED at checkpoint of size 60 (rollback)');
  });

  it.each<[string, string[], RegExp]>([
    ['no key', ['--bundle', 'valid.json'], /give the trusted verifier key/],
    ['a malformed key', ['--bundle', 'valid.json', '--key', 'abc'], /Bad verifier key/],
    ['a missing bundle', ['--bundle', 'nope.json', '--key', 'KEY'], /cannot read bundle/],
    ['an unknown option', ['--frobnicate'], /unknown option '--frobnicate'/],
  ])('given %s, when run, then it exits 2 with the reason', (_what, args, message) => {
    bundleFile('valid.json');
    const { status, stderr } = cli(...args.map((a) => (a === 'KEY' ? log.verifierKey : a)));
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('given a ledger URL where nothing listens, when run, then it exits 2 naming the URL', async () => {
    const port = await new Promise<number>((resolve) => {
      const server: Server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const { status, stderr } = cli('--url', `http://127.0.0.1:${port}`, '--key', log.verifierKey);
    expect(status).toBe(2);
    expect(stderr).toMatch(new RegExp(`GET http://127\\.0\\.0\\.1:${port}/log/public-key failed after 5 attempts: fetch failed`));
  });

  it.each([
    ['--witnesses-required without a witness key', ['--witnesses-required', '1'], /--witnesses-required needs at least one --witness-key/],
    [
      'more witnesses required than given',
      ['--witness-key', 'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2', '--witnesses-required', '2'],
      /between 1 and the 1 --witness-key given/,
    ],
    ['the log key given as a witness key', ['--witness-key', '@log-key.txt'], /--witness-key: Bad witness key: this is a log key/],
  ])('given %s, when run, then it exits 2 saying so', (_, policy, message) => {
    writeFileSync(join(dir, 'log-key.txt'), `${log.verifierKey}\n`);
    const { status, stderr } = cli('--bundle', bundleFile('policy.json'), '--key', log.verifierKey, ...policy);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
  });
});
