import { organisationsNamed } from '@aal/contracts';
import { checkpointOfNote, NoteError, verifyCheckpoint, type EventKeySet } from '@aal/ledger-core';
import type { LedgerSource } from './ledger-source';
import { LogVerifier, type ResumePoint, type VerifiedCheckpoint, type VerifierKey } from './log-verifier';
import type { VerificationProblem } from './verification-problem';
import { decodeEntry } from './wire-format';
import { witnessVerdicts, type WitnessPolicy, type WitnessVerdict } from './witness-policy';

/** One line a monitor prints: something a log's users must hear about at once. */
export type MonitorAlert =
  | ({ readonly alert: 'log-misbehaviour'; readonly at: string } & VerificationProblem)
  | {
      readonly alert: 'organisation-named';
      readonly at: string;
      readonly organisationId: string;
      readonly seq: number;
      readonly type: string;
      readonly subject: string;
      readonly recordedAt: string;
      /** Where in the event's data the organisation is named (JSON Pointers). */
      readonly pointers: readonly string[];
      /** The verified checkpoint whose tree includes the entry. */
      readonly provenBy: { readonly treeSize: number; readonly rootHash: string };
    }
  | {
      /**
       * The witness policy is not met: `missing-cosignatures` when the log has grown past the newest
       * checkpoint with enough valid cosignatures for longer than the grace period (a split view
       * goes unnoticed while nobody cosigns), `bad-cosignature` when a trusted witness's line on a
       * checkpoint does not verify.
       */
      readonly alert: 'witness';
      readonly at: string;
      readonly kind: 'missing-cosignatures' | 'bad-cosignature';
      readonly detail: string;
      /** The newest checkpoint verified, and the newest with enough valid cosignatures (0: none). */
      readonly latestSize: number;
      readonly witnessedSize: number;
      readonly verdicts: readonly WitnessVerdict[];
    };

export interface FollowOptions {
  readonly key: VerifierKey;
  readonly origin: string;
  /** The last checkpoint verified before (trust state), or null. */
  readonly trusted: VerifiedCheckpoint | null;
  readonly eventKeys?: EventKeySet | null;
  /** Organisations to watch: every proven entry naming one of them is an alert. */
  readonly organisations: readonly string[];
  readonly intervalMs: number;
  /** Polls before returning; unbounded when absent. */
  readonly rounds?: number;
  /** With `--witness-key`: whose cosignatures must cover the log, and how long it may run ahead of them. */
  readonly witnesses?: { readonly policy: WitnessPolicy; readonly graceMs: number } | null;
  readonly emit: (alert: MonitorAlert) => void;
  /** After each round that verified: the trusted checkpoint to remember. */
  readonly onVerified: (latest: VerifiedCheckpoint, round: number) => Promise<void> | void;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => string;
}

export type FollowResult =
  | { readonly ok: true; readonly rounds: number; readonly latest: VerifiedCheckpoint | null }
  | { readonly ok: false; readonly problem: VerificationProblem; readonly rounds: number };

/**
 * Follows a live log: each round reads the checkpoints listed since the last round and the entries
 * from the last verified checkpoint on, and verifies them with `LogVerifier` resumed from there, so
 * memory stays O(log size + entries between two checkpoints) however long the log grows. The first
 * round verifies from seq 0 against `trusted` (rollback, fork). A problem ends the follow with a
 * `log-misbehaviour` alert: nothing after it can be trusted. `organisation-named` alerts are sent
 * once per entry and organisation, when a verified checkpoint covers the entry.
 */
export async function followLog(source: LedgerSource, options: FollowOptions): Promise<FollowResult> {
  const watched = new Set(options.organisations);
  let trusted = options.trusted;
  let resume: ResumePoint | null = null;
  let afterId: number | undefined;
  let alertedUpTo = 0;
  let lastListed: unknown;
  const watch = options.witnesses ? witnessWatch(options, options.witnesses) : null;
  for (let round = 1; ; round += 1) {
    const listed = await source.checkpoints(afterId);
    // Nothing newer listed: the log's latest is still the one verified last round, which must still hold.
    const checkpoints = listed.length === 0 && lastListed !== undefined ? [lastListed] : listed;
    const engine: LogVerifier = new LogVerifier({
      key: options.key,
      origin: options.origin,
      checkpoints,
      trusted,
      eventKeys: options.eventKeys ?? null,
      resume,
    });
    const pending: Array<Omit<Extract<MonitorAlert, { alert: 'organisation-named' }>, 'at' | 'provenBy'>> = [];
    const flush = () => {
      const proven = engine.provenSize;
      if (proven <= alertedUpTo) return;
      const latest = engine.latestVerified;
      const checkpoint = { treeSize: proven, rootHash: latest?.treeSize === proven ? latest.rootHash : '' };
      while (pending.length > 0 && pending[0]!.seq < proven) options.emit({ ...pending.shift()!, at: options.now(), provenBy: checkpoint });
      alertedUpTo = proven;
    };
    if (!engine.done) {
      reading: for await (const page of source.entries(resume?.size ?? 0)) {
        for (const raw of page) {
          if (engine.push([raw])) break reading;
          if (watched.size > 0) pending.push(...namedIn(raw, watched, alertedUpTo));
          flush();
        }
      }
    }
    const outcome = engine.finish();
    if (!outcome.ok) {
      options.emit({ alert: 'log-misbehaviour', at: options.now(), ...outcome.problem });
      return { ok: false, problem: outcome.problem, rounds: round };
    }
    flush();
    if (outcome.latest) {
      trusted = outcome.latest;
      await options.onVerified(outcome.latest, round);
    }
    if (watch) {
      const problem = await watch.round(source, outcome.checkpoints, trusted);
      if (problem) {
        options.emit({ alert: 'log-misbehaviour', at: options.now(), ...problem });
        return { ok: false, problem, rounds: round };
      }
    }
    resume = engine.resumePoint();
    for (const c of listed) {
      const id = (c as { id?: unknown }).id;
      if (typeof id === 'number' && (afterId === undefined || id > afterId)) {
        afterId = id;
        lastListed = c;
      }
    }
    if (options.rounds !== undefined && round >= options.rounds) return { ok: true, rounds: round, latest: trusted };
    await options.sleep(options.intervalMs);
  }
}

function namedIn(raw: unknown, watched: ReadonlySet<string>, from: number) {
  const decoded = decodeEntry(raw);
  if (!decoded.ok || decoded.value.seq < from) return [];
  const entry = decoded.value;
  const type = entry.headers['ce_type'] ?? '';
  let data: unknown;
  try {
    // Binary content mode: the value is the event's data.
    data = JSON.parse(Buffer.from(entry.value).toString('utf8'));
  } catch {
    return [];
  }
  const byOrganisation = new Map<string, string[]>();
  for (const named of organisationsNamed(type, data)) {
    if (!watched.has(named.organisationId)) continue;
    byOrganisation.set(named.organisationId, [...(byOrganisation.get(named.organisationId) ?? []), named.pointer]);
  }
  return [...byOrganisation].map(([organisationId, pointers]) => ({
    alert: 'organisation-named' as const,
    organisationId,
    seq: entry.seq,
    type,
    subject: entry.headers['ce_subject'] ?? '',
    recordedAt: entry.recordedAt,
    pointers,
  }));
}

/** Recent verified checkpoint roots kept to check a witnessed checkpoint against: enough for any witness interval. */
const REMEMBERED_ROOTS = 1024;

/**
 * The witness side of following: each round, the newest checkpoint the log says is cosigned
 * (`GET /checkpoint/witnessed`) must be signed by the log, agree with the root verified at its
 * size, and carry the policy's cosignatures; the log may run ahead of it for `graceMs` only.
 */
function witnessWatch(options: FollowOptions, settings: { readonly policy: WitnessPolicy; readonly graceMs: number }) {
  const roots = new Map<number, string>();
  const reportedBad = new Set<string>();
  let witnessedSize = 0;
  let aheadSince: number | null = null;
  let reportedMissing = false;
  const alert = (
    kind: 'missing-cosignatures' | 'bad-cosignature',
    detail: string,
    latestSize: number,
    verdicts: readonly WitnessVerdict[],
  ) => options.emit({ alert: 'witness', at: options.now(), kind, detail, latestSize, witnessedSize, verdicts });
  return {
    async round(
      source: LedgerSource,
      verified: readonly VerifiedCheckpoint[],
      latest: VerifiedCheckpoint | null,
    ): Promise<VerificationProblem | null> {
      for (const c of verified) {
        roots.set(c.treeSize, c.rootHash);
        if (roots.size > REMEMBERED_ROOTS) roots.delete(roots.keys().next().value as number);
      }
      const note = source.witnessedCheckpoint ? await source.witnessedCheckpoint() : null;
      let verdicts: WitnessVerdict[] = settings.policy.witnesses.map((w) => ({ witness: w.name, status: 'missing' as const }));
      if (note !== null) {
        let checkpoint: ReturnType<typeof verifyCheckpoint>;
        try {
          checkpoint = verifyCheckpoint(note, options.key, options.origin);
        } catch (err) {
          if (!(err instanceof NoteError)) throw err;
          const claimed = safeCheckpointOf(note);
          return {
            kind: 'checkpoint-bad-signature',
            ...(claimed ? { checkpointSize: claimed.size } : {}),
            detail: `the checkpoint the log calls witnessed is not signed by its key: ${err.message}`,
            evidence: {
              code: err.code,
              reason: err.message,
              checkpoint: { treeSize: claimed?.size ?? -1, rootHash: claimed?.rootHash.toString('hex') ?? '', note },
            },
          };
        }
        const known = roots.get(checkpoint.size);
        const root = checkpoint.rootHash.toString('hex');
        if (known !== undefined && known !== root) {
          return {
            kind: 'fork',
            checkpointSize: checkpoint.size,
            detail: `the log shows its witnesses a checkpoint of size ${checkpoint.size} with another root than the one verified here: a split view`,
            evidence: {
              trusted: { treeSize: checkpoint.size, rootHash: known, note: '' },
              computedRootHash: root,
              conflicting: { treeSize: checkpoint.size, rootHash: root, note },
            },
          };
        }
        verdicts = witnessVerdicts(note, settings.policy);
        for (const v of verdicts.filter((x) => x.status === 'bad')) {
          const key = `${v.witness}@${checkpoint.size}`;
          if (reportedBad.has(key)) continue;
          reportedBad.add(key);
          alert(
            'bad-cosignature',
            `the cosignature of ${v.witness} on the checkpoint of size ${checkpoint.size} does not verify: ${v.reason ?? ''}`,
            latest?.treeSize ?? 0,
            verdicts,
          );
        }
        if (verdicts.filter((v) => v.status === 'valid').length >= settings.policy.required)
          witnessedSize = Math.max(witnessedSize, checkpoint.size);
      }
      const latestSize = latest?.treeSize ?? 0;
      const now = Date.parse(options.now());
      if (latestSize <= witnessedSize) {
        aheadSince = null;
        reportedMissing = false;
        return null;
      }
      aheadSince ??= now;
      if (!reportedMissing && now - aheadSince >= settings.graceMs) {
        reportedMissing = true;
        const named = verdicts
          .filter((v) => v.status !== 'valid')
          .map((v) => `${v.witness} (${v.status})`)
          .join(', ');
        alert(
          'missing-cosignatures',
          `the log is at size ${latestSize}, but its newest checkpoint with ${settings.policy.required} valid cosignature(s) is at size ${witnessedSize}, for ${Math.round((now - aheadSince) / 1000)} s; missing or bad: ${named}`,
          latestSize,
          verdicts,
        );
      }
      return null;
    },
  };
}

function safeCheckpointOf(note: string) {
  try {
    return checkpointOfNote(note);
  } catch {
    return null;
  }
}
