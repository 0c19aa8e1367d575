import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli';
import { logExportCheckpointLine } from './log-export-format';
import { buildTestLog, rehashFrom, signedCheckpoint, testSigner, toBundle, toLogExport, type TestLog } from './testing/log-fixture';
import type { WireEntry } from './wire-format';

// ledger-verify on aal-log-export/v1 files (the streamed whole-log export): an honest file
// verifies like the JSON bundle of the same log, every tampering is refused with the problem the
// JSON bundle gets, and what only a line stream can suffer (lines dropped, moved, cut, added) is named.

let dir: string;
let log: TestLog;
let files = 0;

async function verify(text: string, ...args: string[]) {
  files += 1;
  const path = join(dir, `file-${files}`);
  writeFileSync(path, text);
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s), isTTY: false },
    cwd: dir,
    now: () => new Date('2026-12-02T12:00:00Z'),
    clock: () => 0,
  };
  const status = await runCli(['--bundle', path, '--key', log.verifierKey, '--state', `${path}.state`, '--json', ...args], io);
  const stdout = out.join('');
  return { status, result: stdout ? (JSON.parse(stdout) as Record<string, any>) : null, stderr: err.join('') };
}

const exportOf = (entries: readonly WireEntry[], checkpoints = log.checkpoints) =>
  toLogExport({ ...log, entries: [...entries], checkpoints: [...checkpoints] });
const bundleOf = (entries: readonly WireEntry[], checkpoints = log.checkpoints) =>
  JSON.stringify(toBundle({ ...log, entries: [...entries], checkpoints: [...checkpoints] }));
const lines = (text: string) => text.split('\n').slice(0, -1);
const joined = (parts: string[]) => `${parts.join('\n')}\n`;
/** The index in the file's lines of the entry line of `seq`. */
const lineOf = (parts: string[], seq: number) => parts.findIndex((l) => l.startsWith(`{"seq":${seq},`));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'log-export-'));
  log = buildTestLog(60, [20, 40, 60]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ledger-verify --bundle <aal-log-export/v1 file>', () => {
  it('given an honest export, when verified, then it says what the JSON bundle of the same log says', async () => {
    const streamed = await verify(exportOf(log.entries));
    const whole = await verify(bundleOf(log.entries));
    expect(streamed.status).toBe(0);
    expect(streamed.result).toMatchObject({
      ok: true,
      entries: 60,
      checkpoints: 3,
      latest: { treeSize: 60, rootHash: log.checkpoints[2]!.rootHash },
    });
    const { statePath: _a, entriesPerSecond: _b, ...same } = streamed.result!;
    const { statePath: _c, entriesPerSecond: _d, ...expected } = whole.result!;
    expect(same).toEqual(expected);
  });

  const changed = (seq: number) =>
    log.entries.map((e) => {
      if (e.seq !== seq) return e;
      const value = Buffer.from(e.value, 'base64');
      value[20] = value[20]! ^ 0x04;
      return { ...e, value: value.toString('base64') };
    });
  const swapped = (a: number) => log.entries.map((e, i) => (i === a ? log.entries[a + 1]! : i === a + 1 ? log.entries[a]! : e));
  const tampers: Array<[string, () => WireEntry[], { kind: string; seq?: number; checkpointSize?: number }]> = [
    ['one value byte changed', () => changed(33), { kind: 'entry-tampered', seq: 33 }],
    [
      'a value changed and every hash after it recomputed',
      () => rehashFrom(changed(33), 33),
      { kind: 'checkpoint-root-mismatch', checkpointSize: 40 },
    ],
    ['an entry removed', () => log.entries.filter((e) => e.seq !== 25), { kind: 'gap', seq: 25 }],
    ['two entries swapped', () => swapped(30), { kind: 'reordered', seq: 30 }],
    [
      'an entry served twice',
      () => [...log.entries.slice(0, 11), log.entries[10]!, ...log.entries.slice(11)],
      { kind: 'duplicate', seq: 10 },
    ],
  ];
  it.each(tampers)('given %s, when verified, then it is refused with the problem the JSON bundle gets', async (_what, tamper, expected) => {
    const entries = tamper();
    const streamed = await verify(exportOf(entries));
    const whole = await verify(bundleOf(entries));
    expect(streamed.status).toBe(1);
    expect(streamed.result!['problem']).toMatchObject(expected);
    expect(whole.result!['problem']).toMatchObject(expected);
    expect(streamed.result!['problem']).toEqual(whole.result!['problem']);
  });

  it('given a character of an entry line changed in the file, when verified, then that entry is refused as tampered', async () => {
    const parts = lines(exportOf(log.entries));
    const at = lineOf(parts, 17);
    parts[at] = parts[at]!.replace('"topic":"aal.', '"topic":"aaL.');
    const { status, result } = await verify(joined(parts));
    expect(status).toBe(1);
    expect(result!['problem']).toMatchObject({ kind: 'entry-tampered', seq: 17 });
  });

  it('given a stored hash that is not hex, when verified, then the entry is refused as malformed', async () => {
    const parts = lines(exportOf(log.entries));
    const at = lineOf(parts, 8);
    parts[at] = parts[at]!.replace('"leafHash":"', '"leafHash":"z').replace(/("leafHash":"z[0-9a-f]{63})[0-9a-f]/, '$1');
    const { result } = await verify(joined(parts));
    expect(result!['problem']).toMatchObject({
      kind: 'entry-malformed',
      seq: 8,
      evidence: { reason: '`leafHash` is not 32 bytes of hex' },
    });
  });

  it('given an entry line dropped, when verified, then the gap is named', async () => {
    const parts = lines(exportOf(log.entries));
    parts.splice(lineOf(parts, 44), 1);
    expect((await verify(joined(parts))).result!['problem']).toMatchObject({ kind: 'gap', seq: 44, evidence: { missing: 1 } });
  });

  it('given two entry lines reordered, when verified, then the reordering is named', async () => {
    const parts = lines(exportOf(log.entries));
    const at = lineOf(parts, 5);
    [parts[at], parts[at + 1]] = [parts[at + 1]!, parts[at]!];
    expect((await verify(joined(parts))).result!['problem']).toMatchObject({ kind: 'reordered', seq: 5 });
  });

  it('given a checkpoint line forged with another key, when verified, then it is refused as not signed by the trusted key', async () => {
    const parts = lines(exportOf(log.entries));
    const forger = testSigner(log.origin).signer;
    const forged = signedCheckpoint(99, log.origin, 20, Buffer.from(log.checkpoints[0]!.rootHash, 'hex'), forger);
    parts.splice(lineOf(parts, 19) + 1, 0, logExportCheckpointLine(forged).trimEnd());
    const { status, result } = await verify(joined(parts));
    expect(status).toBe(1);
    expect(result!['problem']).toMatchObject({ kind: 'checkpoint-bad-signature', checkpointSize: 20 });
  });

  it('given a checkpoint line moved after later entries, when verified, then it is refused as misplaced', async () => {
    const parts = lines(exportOf(log.entries));
    const [checkpoint] = parts.splice(lineOf(parts, 19) + 1, 1);
    parts.splice(lineOf(parts, 25) + 1, 0, checkpoint!);
    const { result } = await verify(joined(parts));
    expect(result!['problem']).toMatchObject({ kind: 'checkpoint-malformed', checkpointSize: 20 });
    expect(result!['problem'].detail).toContain('must come right after the entries it covers');
  });

  it('given the file cut at a line boundary, when verified, then the entries the latest checkpoint commits to are missing', async () => {
    const parts = lines(exportOf(log.entries));
    const { status, result } = await verify(joined(parts.slice(0, lineOf(parts, 45) + 1)));
    expect(status).toBe(1);
    expect(result!['problem']).toMatchObject({ kind: 'truncated', seq: 46, checkpointSize: 60 });
  });

  it('given the file cut inside a line, when verified, then that entry is refused as malformed', async () => {
    const text = exportOf(log.entries);
    const cut = text.indexOf('{"seq":52,') + 100;
    const { result } = await verify(text.slice(0, cut));
    expect(result!['problem']).toMatchObject({ kind: 'entry-malformed', seq: 52 });
  });

  it('given only the end line missing, when verified, then the file is refused as cut short', async () => {
    const parts = lines(exportOf(log.entries));
    const { result } = await verify(joined(parts.slice(0, -1)));
    expect(result!['problem']).toMatchObject({ kind: 'export-malformed', seq: 60 });
    expect(result!['problem'].detail).toContain('without the end line');
  });

  it('given a line after the end line, when verified, then it is refused', async () => {
    const { result } = await verify(`${exportOf(log.entries)}{"note":"appended"}\n`);
    expect(result!['problem']).toMatchObject({ kind: 'export-malformed', evidence: { line: 66 } });
  });

  it('given a line that is not JSON between entries, when verified, then it is refused with its line number', async () => {
    const parts = lines(exportOf(log.entries));
    parts.splice(lineOf(parts, 3), 0, 'not json');
    const { result } = await verify(joined(parts));
    expect(result!['problem']).toMatchObject({ kind: 'export-malformed', seq: 3, evidence: { line: 5 } });
  });

  it('given entries reformatted (parsed and written again), when verified, then they are checked as wire entries and verify', async () => {
    const parts = lines(exportOf(log.entries)).map((l, i) => (i === 0 ? l : JSON.stringify(JSON.parse(l), null, 0).replace(/,"/g, ', "')));
    const { status, result } = await verify(joined(parts));
    expect(status).toBe(0);
    expect(result).toMatchObject({ entries: 60, checkpoints: 3 });
  });

  it('given a verified export, when a shorter export of the same log is verified with the same trust state, then it is a rollback', async () => {
    const full = join(dir, 'full.ndjson');
    const short = join(dir, 'short.ndjson');
    writeFileSync(full, exportOf(log.entries));
    writeFileSync(short, exportOf(log.entries.slice(0, 40), log.checkpoints.slice(0, 2)));
    const io = {
      stdout: { write: () => true },
      stderr: { write: () => true, isTTY: false },
      cwd: dir,
      now: () => new Date(),
      clock: () => 0,
    };
    const args = ['--key', log.verifierKey, '--state', 'rollback.json'];
    expect(await runCli(['--bundle', full, ...args], io)).toBe(0);
    const out: string[] = [];
    expect(await runCli(['--bundle', short, ...args, '--json'], { ...io, stdout: { write: (s: string) => out.push(s) } })).toBe(1);
    expect(JSON.parse(out.join(''))).toMatchObject({ ok: false, problem: { kind: 'rollback', checkpointSize: 60 } });
  });
});
