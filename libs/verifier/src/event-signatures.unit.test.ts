import {
  eventSigningKey,
  GENESIS_CHAIN_HASH,
  parseEventKeySet,
  publicEventJwk,
  signEvent,
  signEventBatch,
  SIGNATURE_HEADER,
  type EventSigningKey,
} from '@aal/ledger-core';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from './cli';
import { LogVerifier, type VerificationOutcome } from './log-verifier';
import { entryContent, rehashFrom, sealEntry, signCheckpoints, testSigner, toBundle } from './testing/log-fixture';
import type { WireEntry } from './wire-format';

// ---- given: a log of signed events, and the keys an investigator trusts ----------------------

const ORIGIN = 'test.local/aal-ledger';
const SIZE = 24;
const producerKey = eventSigningKey(generateKeyPairSync('ed25519').privateKey);
const forgerKey = eventSigningKey(generateKeyPairSync('ed25519').privateKey);
const keysDocument = { 'usage-events': { keys: [publicEventJwk(producerKey.privateKey)] } };
const eventKeys = parseEventKeySet(keysDocument);
const logKey = testSigner(ORIGIN);

/** Entry `n`'s content as usage-events would have emitted it, signed by `signer` (null: unsigned). */
function signedContent(n: number, signer: EventSigningKey | null = producerKey, source = '/aal/usage-events/host-1') {
  const content = entryContent(n);
  const headers: Record<string, string> = { ...content.headers, ce_source: source };
  if (signer) headers[SIGNATURE_HEADER] = signEvent(headers, Buffer.from(content.value, 'base64'), signer);
  return { ...content, headers };
}

function honestEntries(): WireEntry[] {
  let chain = GENESIS_CHAIN_HASH;
  return Array.from({ length: SIZE }, (_, seq) => {
    const sealed = sealEntry({ seq, ...signedContent(seq) }, chain);
    chain = sealed.chain;
    return sealed.entry;
  });
}

/**
 * The log key's holder rewrites entry `seq` with `change` and covers every track the log key can
 * cover: stored hashes recomputed, checkpoints re-signed. Only the producer's signature is left.
 */
function insiderRewrite(
  seq: number,
  change: (entry: WireEntry) => WireEntry,
): { entries: WireEntry[]; checkpoints: ReturnType<typeof signCheckpoints> } {
  const entries = rehashFrom(
    honestEntries().map((e) => (e.seq === seq ? change(e) : e)),
    seq,
  );
  return { entries, checkpoints: signCheckpoints(entries, [10, SIZE], ORIGIN, logKey.signer) };
}

function verify(
  entries: WireEntry[],
  checkpoints = signCheckpoints(entries, [10, SIZE], ORIGIN, logKey.signer),
  keys: typeof eventKeys | null = eventKeys,
): VerificationOutcome {
  const engine = new LogVerifier({ key: logKey.key, origin: ORIGIN, checkpoints, eventKeys: keys });
  engine.push(entries);
  return engine.finish();
}

const problemOf = (outcome: VerificationOutcome) => {
  if (outcome.ok) throw new Error('expected a problem, but the log verified');
  return outcome.problem;
};

const withHeaders = (entry: WireEntry, headers: Record<string, string | undefined>): WireEntry => ({
  ...entry,
  headers: Object.fromEntries(Object.entries({ ...entry.headers, ...headers }).filter((h): h is [string, string] => h[1] !== undefined)),
});

// ---- the engine ------------------------------------------------------------------------------

describe('LogVerifier with trusted event keys', () => {
  it('given an honest log of signed events, when verified with the event keys, then it verifies', () => {
    expect(verify(honestEntries())).toMatchObject({ ok: true, entries: SIZE });
  });

  it('given a signature header altered in the database and every hash and checkpoint redone, then only the event keys catch it, at its seq', () => {
    const other = signedContent(99).headers[SIGNATURE_HEADER]!;
    const { entries, checkpoints } = insiderRewrite(7, (e) => withHeaders(e, { [SIGNATURE_HEADER]: other }));
    expect(verify(entries, checkpoints, null)).toMatchObject({ ok: true });
    expect(problemOf(verify(entries, checkpoints))).toMatchObject({
      kind: 'event-signature-invalid',
      seq: 7,
      evidence: {
        code: 'EVENT.SIGNATURE_INVALID',
        emitter: 'usage-events',
        signature: other,
        reason: expect.stringMatching(/does not match the event/),
      },
    });
  });

  it.each([
    ['unsigned', (e: WireEntry) => withHeaders(e, { [SIGNATURE_HEADER]: undefined }), 'EVENT.UNSIGNED', /no aal_signature header/],
    [
      'signed by a key not trusted for the producer',
      (e: WireEntry) => ({ ...e, headers: signedContent(e.seq, forgerKey).headers }),
      'EVENT.SIGNATURE_INVALID',
      /is not a key of this event's producer/,
    ],
    [
      'from a source no trusted producer has',
      (e: WireEntry) => ({ ...e, headers: signedContent(e.seq, producerKey, '/aal/somebody/x').headers }),
      'EVENT.UNKNOWN_SOURCE',
      /names no producer in the trusted event keys/,
    ],
    [
      'with its value changed',
      (e: WireEntry) => ({
        ...e,
        value: Buffer.from(Buffer.from(e.value, 'base64').toString('utf8').replace('alert', 'ALERT')).toString('base64'),
      }),
      'EVENT.SIGNATURE_INVALID',
      /does not match/,
    ],
  ])('given an entry %s (hashes and checkpoints redone), then the first such entry is named with its seq', (_, change, code, reason) => {
    const { entries, checkpoints } = insiderRewrite(12, change);
    const problem = problemOf(verify(entries, checkpoints));
    expect(problem).toMatchObject({ kind: 'event-signature-invalid', seq: 12, evidence: { code } });
    expect(problem.detail).toMatch(reason);
  });

  it('given events signed in batches (one signature, an inclusion path each), then every entry verifies, and a rewritten one is named', () => {
    // Batches of 5 as one outbox append signs them; the last batch is shorter.
    const contents = Array.from({ length: SIZE }, (_, seq) => signedContent(seq, null));
    const signatures = Array.from({ length: Math.ceil(SIZE / 5) }, (_, b) =>
      signEventBatch(
        contents.slice(b * 5, b * 5 + 5).map((c) => ({ headers: c.headers, value: Buffer.from(c.value, 'base64') })),
        producerKey,
      ),
    ).flat();
    let chain = GENESIS_CHAIN_HASH;
    const entries = contents.map((content, seq) => {
      const sealed = sealEntry({ seq, ...content, headers: { ...content.headers, [SIGNATURE_HEADER]: signatures[seq]! } }, chain);
      chain = sealed.chain;
      return sealed.entry;
    });
    expect(signatures[7]).toMatch(/^[\w-]+\.\.[\w-]+~2~5(~[\w-]{43}){3}$/);
    expect(verify(entries)).toMatchObject({ ok: true, entries: SIZE });
    // The insider moves entry 8's batch signature onto entry 7: same batch, same root, wrong leaf.
    const moved = rehashFrom(
      entries.map((e) => (e.seq === 7 ? withHeaders(e, { [SIGNATURE_HEADER]: signatures[8] }) : e)),
      7,
    );
    expect(problemOf(verify(moved, signCheckpoints(moved, [10, SIZE], ORIGIN, logKey.signer)))).toMatchObject({
      kind: 'event-signature-invalid',
      seq: 7,
      evidence: { code: 'EVENT.SIGNATURE_INVALID', reason: expect.stringMatching(/does not match the event/) },
    });
  });

  it('given an entry changed without redoing its hashes, then the hash check names it first, as before', () => {
    const entries = honestEntries().map((e) => (e.seq === 5 ? withHeaders(e, { [SIGNATURE_HEADER]: undefined }) : e));
    expect(problemOf(verify(entries, signCheckpoints(honestEntries(), [10, SIZE], ORIGIN, logKey.signer)))).toMatchObject({
      kind: 'entry-tampered',
      seq: 5,
    });
  });
});

// ---- the command line ------------------------------------------------------------------------

describe('ledger-verify --event-keys', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-verify-event-keys-'));
    writeFileSync(join(dir, 'event-keys.json'), JSON.stringify(keysDocument));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(entries: WireEntry[], checkpoints: ReturnType<typeof signCheckpoints>, ...options: string[]) {
    const file = join(dir, `bundle-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(toBundle({ origin: ORIGIN, verifierKey: logKey.verifierKey, entries, checkpoints })));
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      cwd: dir,
      now: () => new Date(0),
      clock: () => 0,
    };
    const status = await runCli(
      ['--bundle', file, '--key', logKey.verifierKey, '--no-progress', '--state', join(dir, `state-${Math.random()}.json`), ...options],
      io,
    );
    return { status, stdout, stderr };
  }

  it('given an honest log, when run with the event keys, then it says every event was signed by its producer', async () => {
    const entries = honestEntries();
    const { status, stdout, stderr } = await run(
      entries,
      signCheckpoints(entries, [10, SIZE], ORIGIN, logKey.signer),
      '--event-keys',
      'event-keys.json',
    );
    expect(status).toBe(0);
    expect(stdout).toContain(`${SIZE} entries, 2 checkpoints, every event signed by its producer;`);
    expect(stderr).not.toContain('emitters were not checked');
  });

  it('given no event keys, when run, then it verifies and reports that emitters were not checked', async () => {
    const entries = honestEntries();
    const { status, stderr } = await run(entries, signCheckpoints(entries, [10, SIZE], ORIGIN, logKey.signer));
    expect(status).toBe(0);
    expect(stderr).toContain('note: emitters were not checked: give --event-keys <file>');
  });

  it('given an altered signature, when run with the event keys, then it exits 1 naming the seq', async () => {
    const { entries, checkpoints } = insiderRewrite(9, (e) =>
      withHeaders(e, { [SIGNATURE_HEADER]: signedContent(1).headers[SIGNATURE_HEADER] }),
    );
    const { status, stderr } = await run(entries, checkpoints, '--event-keys', 'event-keys.json');
    expect(status).toBe(1);
    expect(stderr).toContain('ledger-verify: FAILED at seq 9 (event-signature-invalid)');
  });

  it('given an event keys file that is not a key set, when run, then it is a usage error', async () => {
    writeFileSync(join(dir, 'bad-keys.json'), JSON.stringify({ 'usage-events': { keys: [{ kty: 'RSA' }] } }));
    const entries = honestEntries();
    const { status, stderr } = await run(
      entries,
      signCheckpoints(entries, [10, SIZE], ORIGIN, logKey.signer),
      '--event-keys',
      'bad-keys.json',
    );
    expect(status).toBe(2);
    expect(stderr).toMatch(/event keys file .*bad-keys\.json: key 0 of usage-events is not an Ed25519 public JWK/);
  });
});
