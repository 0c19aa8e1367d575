import { organisationsNamed } from '@aal/contracts';
import type { EventKeySet } from '@aal/ledger-core';
import type { LedgerSource } from './ledger-source';
import { LogVerifier, type ResumePoint, type VerifiedCheckpoint, type VerifierKey } from './log-verifier';
import type { VerificationProblem } from './verification-problem';
import { decodeEntry } from './wire-format';

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
  readonly emit: (alert: MonitorAlert) => void;
  /** After each round that verified: the trusted checkpoint to remember. */
  readonly onVerified: (latest: VerifiedCheckpoint, round: number) => Promise<void> | void;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => string;
}

export type FollowResult = { readonly ok: true; readonly rounds: number; readonly latest: VerifiedCheckpoint | null } | { readonly ok: false; readonly problem: VerificationProblem; readonly rounds: number };

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
  for (let round = 1; ; round += 1) {
    const listed = await source.checkpoints(afterId);
    // Nothing newer listed: the log's latest is still the one verified last round, which must still hold.
    const checkpoints = listed.length === 0 && lastListed !== undefined ? [lastListed] : listed;
    const engine: LogVerifier = new LogVerifier({ key: options.key, origin: options.origin, checkpoints, trusted, eventKeys: options.eventKeys ?? null, resume });
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
