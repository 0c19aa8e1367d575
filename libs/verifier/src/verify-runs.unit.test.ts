import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, runCli, type CliIo } from './cli';
import { buildTestLog, extendLog, rehashFrom, signCheckpoints, testSigner, toBundle, type TestLog } from './testing/log-fixture';
import { TRUST_STATE_FORMAT, type TrustState } from './trust-state';
import type { WireEntry } from './wire-format';

// The CLI's run, in process: trust state across runs (rollback, fork, advancing), and key handling.

let dir: string;
let log: TestLog;
const STATE = () => join(dir, '.ledger-verify', 'test.local-aal-ledger.json');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-verify-'));
  log = buildTestLog(40, [10, 20, 30, 40]);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeBundle(name: string, parts: Partial<Pick<TestLog, 'entries' | 'checkpoints' | 'verifierKey'>> = {}): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(toBundle({ ...log, ...parts })));
  return path;
}

async function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  let tick = 0;
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    cwd: dir,
    now: () => new Date('2026-11-03T10:00:00.000Z'),
    clock: () => (tick += 500),
  };
  const status = await runCli(args, io);
  return { status, stdout, stderr };
}

const readState = (): TrustState => JSON.parse(readFileSync(STATE(), 'utf8')) as TrustState;
const valueFlipped = (entries: WireEntry[], seq: number) =>
  entries.map((e) => {
    if (e.seq !== seq) return e;
    const value = Buffer.from(e.value, 'base64');
    value[0] = value[0]! ^ 0x01;
    return { ...e, value: value.toString('base64') };
  });

describe('ledger-verify runs and the trust state', () => {
  it('given a valid bundle and no state, when verified, then it exits 0 with the summary and saves the latest checkpoint as trusted', async () => {
    const result = await run('--bundle', writeBundle('a.json'), '--key', log.verifierKey);
    expect(result.status).toBe(EXIT.verified);
    expect(result.stdout).toBe(
      `verified test.local/aal-ledger: 40 entries, 4 checkpoints; latest tree size 40, root ${log.checkpoints[3]!.rootHash}; 80 entries/s\n`,
    );
    expect(readState()).toEqual({
      format: TRUST_STATE_FORMAT,
      origin: log.origin,
      treeSize: 40,
      rootHash: log.checkpoints[3]!.rootHash,
      note: log.checkpoints[3]!.note,
      verifierKey: log.verifierKey,
      verifiedAt: '2026-11-03T10:00:00.000Z',
    });
    expect(result.stderr).toContain('trust state');
  });

  it('given a trusted size of 40, when the log later shows only 30 entries, then rollback (exit 1) and the state stays at 40', async () => {
    expect((await run('--bundle', writeBundle('a.json'), '--key', log.verifierKey)).status).toBe(EXIT.verified);
    const rolledBack = writeBundle('b.json', { entries: log.entries.slice(0, 30), checkpoints: log.checkpoints.slice(0, 3) });
    const result = await run('--bundle', rolledBack, '--key', log.verifierKey);
    expect(result.status).toBe(EXIT.problem);
    expect(result.stderr).toMatch(
      /^ledger-verify: FAILED at checkpoint of size 40 \(rollback\): rollback: the log's latest checkpoint has size 30, smaller than the size 40 verified before\n/,
    );
    expect(readState().treeSize).toBe(40);
  });

  it('given a trusted size of 40, when the log shows another history re-signed with its key, then fork (exit 1) and the state is kept', async () => {
    expect((await run('--bundle', writeBundle('a.json'), '--key', log.verifierKey)).status).toBe(EXIT.verified);
    const rewritten = extendLog(rehashFrom(valueFlipped(log.entries, 12), 12), 10);
    const forked = writeBundle('b.json', {
      entries: rewritten,
      checkpoints: signCheckpoints(rewritten, [10, 20, 30, 40, 50], log.origin, log.signer),
    });
    const result = await run('--bundle', forked, '--key', log.verifierKey);
    expect(result.status).toBe(EXIT.problem);
    expect(result.stderr).toMatch(
      /^ledger-verify: FAILED at checkpoint of size 40 \(fork\): fork: the log's tree of size 40 has root [0-9a-f]{64}, not the root [0-9a-f]{64} verified before; both are signed/,
    );
    expect(readState().rootHash).toBe(log.checkpoints[3]!.rootHash);
  });

  it('given a trusted size of 40, when the log grew honestly, then it verifies and the state advances', async () => {
    expect((await run('--bundle', writeBundle('a.json'), '--key', log.verifierKey)).status).toBe(EXIT.verified);
    const grown = extendLog(log.entries, 10);
    const checkpoints = [...log.checkpoints, ...signCheckpoints(grown, [50], log.origin, log.signer).map((c) => ({ ...c, id: 5 }))];
    const result = await run('--bundle', writeBundle('b.json', { entries: grown, checkpoints }), '--key', log.verifierKey);
    expect(result.status).toBe(EXIT.verified);
    expect(result.stderr).toContain('tree size 40 → 50');
    expect(readState().treeSize).toBe(50);
  });

  it('given a failed run, when nothing was trusted before, then no state is written', async () => {
    const result = await run('--bundle', writeBundle('a.json', { entries: valueFlipped(log.entries, 3) }), '--key', log.verifierKey);
    expect(result.status).toBe(EXIT.problem);
    expect(result.stderr).toContain('FAILED at seq 3 (entry-tampered)');
    expect(() => readState()).toThrow(/ENOENT/);
  });

  it('given --state, when verified, then that file holds the state', async () => {
    const result = await run('--bundle', writeBundle('a.json'), '--key', log.verifierKey, '--state', 'custom/state.json');
    expect(result.status).toBe(EXIT.verified);
    expect(JSON.parse(readFileSync(join(dir, 'custom/state.json'), 'utf8'))).toMatchObject({ treeSize: 40 });
  });

  it('given a state written under another key, when verified, then it refuses to run (exit 2) rather than guess', async () => {
    expect((await run('--bundle', writeBundle('a.json'), '--key', log.verifierKey)).status).toBe(EXIT.verified);
    const other = testSigner(log.origin);
    const result = await run(
      '--bundle',
      writeBundle('b.json', { checkpoints: signCheckpoints(log.entries, [40], log.origin, other.signer) }),
      '--key',
      other.verifierKey,
    );
    expect(result.status).toBe(EXIT.usage);
    expect(result.stderr).toMatch(
      /the trust state was written under the key .*, and its checkpoint is not signed by .* start a new state file with --state/,
    );
  });

  it('given a state written during a key rotation, when verified under the next key, then the state carries over and still catches a fork', async () => {
    // The log signs with both keys during the overlap; this verifier ran then, under the old key.
    const next = testSigner(log.origin);
    const overlap = signCheckpoints(log.entries, [10, 20, 30, 40], log.origin, log.signer, next.signer);
    expect((await run('--bundle', writeBundle('a.json', { checkpoints: overlap }), '--key', log.verifierKey)).status).toBe(EXIT.verified);

    // After the old key is retired, the log grows, signed by the next key alone.
    const grown = extendLog(log.entries, 10);
    const after = [...overlap, ...signCheckpoints(grown, [50], log.origin, next.signer).map((c) => ({ ...c, id: 5 }))];
    const result = await run('--bundle', writeBundle('b.json', { entries: grown, checkpoints: after }), '--key', next.verifierKey);
    expect(result.status).toBe(EXIT.verified);
    expect(result.stderr).toContain('tree size 40 → 50');
    expect(readState()).toMatchObject({ treeSize: 50, verifierKey: next.verifierKey });

    // The carried-over state still refuses another history re-signed by the next key.
    const forked = rehashFrom(valueFlipped(extendLog(log.entries, 20), 5), 5);
    const forkedCheckpoints = signCheckpoints(forked, [50, 60], log.origin, next.signer);
    const fork = await run(
      '--bundle',
      writeBundle('c.json', { entries: forked, checkpoints: forkedCheckpoints }),
      '--key',
      next.verifierKey,
    );
    expect(fork.status).toBe(EXIT.problem);
    expect(fork.stderr).toContain('(fork)');
    expect(readState().treeSize).toBe(50);
  });

  it('given --trust-server-key, when verified, then it warns that the key came from the source', async () => {
    const result = await run('--bundle', writeBundle('a.json'), '--trust-server-key');
    expect(result.status).toBe(EXIT.verified);
    expect(result.stderr).toMatch(/^warning: --trust-server-key: trusting the key .*a\.json announces/);
  });

  it('given a bundle signed by another key than the one pinned, when verified, then the first checkpoint has a bad signature', async () => {
    const pinned = testSigner(log.origin).verifierKey;
    const result = await run('--bundle', writeBundle('a.json'), '--key', pinned, '--json');
    expect(result.status).toBe(EXIT.problem);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      problem: { kind: 'checkpoint-bad-signature', checkpointSize: 10, evidence: { code: 'NOTE.NO_TRUSTED_SIGNATURE' } },
    });
  });

  it('given --origin for another log, when verified, then the first checkpoint is for the wrong origin', async () => {
    const result = await run('--bundle', writeBundle('a.json'), '--key', log.verifierKey, '--origin', 'other.example/log');
    expect(result.status).toBe(EXIT.problem);
    expect(result.stderr).toContain('FAILED at checkpoint of size 10 (checkpoint-origin-mismatch)');
  });

  it.each([
    [['--key', 'k'], /give exactly one of --url/],
    [['--bundle', 'a.json', '--url', 'http://x'], /cannot be used with option/],
    [['--bundle', 'a.json'], /give the trusted verifier key/],
    [['--bundle', 'missing.json', '--key', 'KEY'], /cannot read bundle .*missing\.json/],
    [['--bundle', 'a.json', '--key', 'not-a-key'], /Bad verifier key: expected <name>\+<key ID>\+<key>/],
    [['--bundle', 'a.json', '--key', '@nokey.txt'], /cannot read the key file/],
    [['--url', 'ftp://example.org', '--key', 'KEY'], /not an http\(s\) URL/],
  ])('given %j, when run, then it exits 2 with a usage message', async (args, message) => {
    writeBundle('a.json');
    const result = await run(...args.map((a) => (a === 'KEY' ? log.verifierKey : a)));
    expect(result.status).toBe(EXIT.usage);
    expect(result.stderr).toMatch(message);
  });
});
