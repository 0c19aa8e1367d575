import {
  appendSignatureLines,
  cosignCheckpoint,
  ed25519Signer,
  parseNote,
  parseWitnessVerifierKey,
  witnessVerifierKeyString,
} from '@aal/ledger-core';
import { generateKeyPairSync } from 'node:crypto';
import { followLog, type FollowOptions, type MonitorAlert } from './follow-log';
import type { LedgerSource } from './ledger-source';
import type { VerifiedCheckpoint } from './log-verifier';
import {
  buildTestLog,
  extendLog,
  rehashFrom,
  signCheckpoints,
  signedCheckpoint,
  rootOf,
  testSigner,
  type TestLog,
} from './testing/log-fixture';
import type { WireCheckpoint, WireEntry } from './wire-format';

/** A live log the test changes between polls, recording where the follower asked for entries from. */
class LiveLog {
  readonly entriesAskedFrom: number[] = [];
  /** What `GET /checkpoint/witnessed` answers (null: 404, nothing cosigned yet). */
  witnessed: string | null = null;
  constructor(
    private readonly log: TestLog,
    public entries: WireEntry[],
    public checkpoints: WireCheckpoint[],
  ) {}

  source(): LedgerSource {
    return {
      description: 'live test log',
      announced: async () => ({ origin: this.log.origin, verifierKey: this.log.verifierKey }),
      checkpoints: async (afterId?: number) => this.checkpoints.filter((c) => afterId === undefined || c.id > afterId),
      entries: (from = 0) => this.entriesFrom(from),
      witnessedCheckpoint: async () => this.witnessed,
    };
  }

  private async *entriesFrom(from: number) {
    this.entriesAskedFrom.push(from);
    for (let i = from; i < this.entries.length; i += 16) yield this.entries.slice(i, i + 16);
  }
}

/** Follows `live` for up to `rounds` polls; `between[i]` changes the log after poll i + 1. */
async function follow(live: LiveLog, log: TestLog, between: Array<() => void>, extra: Partial<FollowOptions> = {}) {
  const alerts: MonitorAlert[] = [];
  const verified: number[] = [];
  let poll = 0;
  const result = await followLog(live.source(), {
    key: log.key,
    origin: log.origin,
    trusted: null,
    organisations: [],
    intervalMs: 1,
    rounds: between.length + 1,
    emit: (a) => alerts.push(a),
    onVerified: (latest: VerifiedCheckpoint) => void verified.push(latest.treeSize),
    sleep: async () => between[poll++]?.(),
    now: () => '2026-12-01T00:00:00.000Z',
    ...extra,
  });
  return { result, alerts, verified };
}

describe('followLog', () => {
  it('given an honest log that grows, when followed, then each round reads only the entries after the last verified checkpoint', async () => {
    const log = buildTestLog(50, [20, 50]);
    const live = new LiveLog(log, log.entries, log.checkpoints);
    const grown = extendLog(log.entries, 70);
    const { result, alerts, verified } = await follow(live, log, [
      () => {
        live.entries = grown;
        live.checkpoints = [...log.checkpoints, signedCheckpoint(3, log.origin, 120, rootOf(grown, 120), log.signer)];
      },
      () => {
        live.entries = extendLog(grown, 10);
      },
    ]);
    expect(result).toMatchObject({ ok: true, rounds: 3, latest: { treeSize: 120 } });
    expect(alerts).toEqual([]);
    expect(verified).toEqual([50, 120, 120]);
    expect(live.entriesAskedFrom).toEqual([0, 50, 120]);
  });

  it('given an operator who rewrites history after it was verified and re-signs it, when followed, then the next round alerts and stops', async () => {
    const log = buildTestLog(50, [50]);
    const live = new LiveLog(log, log.entries, log.checkpoints);
    const { result, alerts } = await follow(live, log, [
      () => {
        const tampered = extendLog(
          rehashFrom(
            log.entries.map((e, i) => (i === 30 ? { ...e, recordedAt: '2026-11-02T10:00:00.000Z' } : e)),
            30,
          ),
          30,
        );
        live.entries = tampered;
        live.checkpoints = [...log.checkpoints, ...signCheckpoints(tampered, [80], log.origin, log.signer).map((c) => ({ ...c, id: 2 }))];
      },
    ]);
    expect(result.ok).toBe(false);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ alert: 'log-misbehaviour', kind: 'chain-broken', seq: 50 });
  });

  it('given a log that shrinks below what was verified, when followed, then it alerts a rollback', async () => {
    const log = buildTestLog(50, [50]);
    const live = new LiveLog(log, log.entries, log.checkpoints);
    const { alerts } = await follow(live, log, [
      () => {
        live.entries = log.entries.slice(0, 40);
        live.checkpoints = [...log.checkpoints, signedCheckpoint(2, log.origin, 40, rootOf(log.entries, 40), log.signer)];
      },
    ]);
    expect(alerts).toEqual([expect.objectContaining({ alert: 'log-misbehaviour', kind: 'rollback' })]);
  });

  it('given a new checkpoint signed by another key, when followed, then it alerts a bad signature', async () => {
    const log = buildTestLog(50, [50]);
    const live = new LiveLog(log, log.entries, log.checkpoints);
    const grown = extendLog(log.entries, 10);
    const { alerts } = await follow(live, log, [
      () => {
        live.entries = grown;
        live.checkpoints = [...log.checkpoints, signedCheckpoint(2, log.origin, 60, rootOf(grown, 60), testSigner(log.origin).signer)];
      },
    ]);
    expect(alerts).toEqual([expect.objectContaining({ alert: 'log-misbehaviour', kind: 'checkpoint-bad-signature', checkpointSize: 60 })]);
  });

  it('given a trusted checkpoint from before and a log that shows another history at that size, when first followed, then it alerts a fork', async () => {
    const log = buildTestLog(50, [50]);
    const live = new LiveLog(log, log.entries, log.checkpoints);
    const trusted = {
      treeSize: 50,
      rootHash: rootOf(extendLog(log.entries.slice(0, 49), 1, 'elsewhere'), 50).toString('hex'),
      note: log.checkpoints[0]!.note,
    };
    const { alerts } = await follow(live, log, [], { trusted });
    expect(alerts).toEqual([expect.objectContaining({ alert: 'log-misbehaviour', kind: 'fork' })]);
  });

  describe('with a witness policy', () => {
    const witness = ed25519Signer('regulator.test/witness', generateKeyPairSync('ed25519').privateKey);
    const policy = { witnesses: [parseWitnessVerifierKey(witnessVerifierKeyString(witness.name, witness.publicKey))], required: 1 };
    const cosigned = (note: string) => appendSignatureLines(note, [cosignCheckpoint(parseNote(note).body, witness, 1700000000)]);
    let clock = Date.parse('2026-12-01T00:00:00Z');
    const now = () => new Date(clock).toISOString();

    it('given a log that stays cosigned, when followed, then no witness alert', async () => {
      const log = buildTestLog(50, [50]);
      const live = new LiveLog(log, log.entries, log.checkpoints);
      live.witnessed = cosigned(log.checkpoints[0]!.note);
      const { result, alerts } = await follow(
        live,
        log,
        [
          () => {
            clock += 600_000;
          },
        ],
        { witnesses: { policy, graceMs: 60_000 }, now },
      );
      expect(result.ok).toBe(true);
      expect(alerts).toEqual([]);
    });

    it('given a log that grows while nothing newer is cosigned, when the grace period passes, then one missing-cosignatures alert', async () => {
      const log = buildTestLog(50, [50]);
      const live = new LiveLog(log, log.entries, log.checkpoints);
      live.witnessed = cosigned(log.checkpoints[0]!.note);
      const grown = extendLog(log.entries, 10);
      const { alerts } = await follow(
        live,
        log,
        [
          () => {
            live.entries = grown;
            live.checkpoints = [...log.checkpoints, signedCheckpoint(2, log.origin, 60, rootOf(grown, 60), log.signer)];
          },
          () => {
            clock += 30_000;
          },
          () => {
            clock += 40_000;
          },
          () => {
            clock += 40_000;
          },
        ],
        { witnesses: { policy, graceMs: 60_000 }, now },
      );
      expect(alerts).toEqual([
        expect.objectContaining({ alert: 'witness', kind: 'missing-cosignatures', latestSize: 60, witnessedSize: 50 }),
      ]);
    });

    it('given a cosignature that does not verify under the trusted witness key, when followed, then a bad-cosignature alert', async () => {
      const log = buildTestLog(50, [50]);
      const live = new LiveLog(log, log.entries, log.checkpoints);
      // The witness's key id and time, with one signature byte flipped.
      const line = cosignCheckpoint(parseNote(log.checkpoints[0]!.note).body, witness, 1700000000);
      const [dash, name, payload] = line.trim().split(' ') as [string, string, string];
      const bytes = Buffer.from(payload, 'base64');
      bytes[bytes.length - 1] ^= 1;
      live.witnessed = appendSignatureLines(log.checkpoints[0]!.note, [`${dash} ${name} ${bytes.toString('base64')}\n`]);
      const { alerts } = await follow(live, log, [], { witnesses: { policy, graceMs: 60_000 }, now });
      expect(alerts).toEqual([expect.objectContaining({ alert: 'witness', kind: 'bad-cosignature', witnessedSize: 0 })]);
    });

    it('given the log shows its witnesses another root at a size verified here, when followed, then it alerts a split view and stops', async () => {
      const log = buildTestLog(50, [50]);
      const live = new LiveLog(log, log.entries, log.checkpoints);
      const other = extendLog(log.entries.slice(0, 49), 1, 'fork');
      live.witnessed = cosigned(signedCheckpoint(9, log.origin, 50, rootOf(other, 50), log.signer).note);
      const { result, alerts } = await follow(live, log, [], { witnesses: { policy, graceMs: 60_000 }, now });
      expect(result.ok).toBe(false);
      expect(alerts).toEqual([expect.objectContaining({ alert: 'log-misbehaviour', kind: 'fork', checkpointSize: 50 })]);
    });
  });
});
