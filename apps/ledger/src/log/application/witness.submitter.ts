import { appendSignatureLines, checkCosignatures, formatAddCheckpointRequest, parseNote } from '@aal/ledger-core';
import { Metrics, type ReadinessCheck } from '@aal/service-kit';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import type { WitnessEndpoint, WitnessSettings } from '../domain/witness-config';
import { CheckpointRepository, type StoredCheckpoint } from '../infrastructure/checkpoint.repository';
import { ProofsQuery } from './proofs.query';

export const WITNESS_SETTINGS = Symbol('WITNESS_SETTINGS');

/** Why a round with one witness did not end in a stored cosignature. */
export type WitnessFailure = 'unreachable' | 'conflict' | 'bad-proof' | 'bad-signature' | 'unknown-log' | 'bad-response' | 'http-error';

/** What the ledger knows of one witness. */
export interface WitnessStatus {
  readonly name: string;
  readonly url: string;
  /** The size the witness holds for this log, as far as the ledger knows (learned from 200s and 409s). */
  heldSize: number | null;
  /** When the witness last held the ledger's latest checkpoint (ms since the epoch). */
  currentAt: number | null;
  lastFailure: { reason: WitnessFailure; detail: string; at: number } | null;
}

/**
 * Submits the latest checkpoint to every configured witness (C2SP tlog-witness add-checkpoint)
 * every `intervalMs`, so that all witnesses are offered the same, stable checkpoint; stores each
 * cosignature it receives after verifying it with the witness's key. The size a witness holds is
 * learned from its 409 answer, as the spec intends, and the request retried once from there.
 * Nothing here is on the append path: a witness that is down or refuses shows in metrics and as
 * a degraded (advisory) readiness check, and the log goes on.
 */
@Injectable()
export class WitnessSubmitter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WitnessSubmitter');
  private readonly statuses: WitnessStatus[];
  private readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly failures: Counter<'witness' | 'reason'>;
  private readonly cosignedAt: Gauge<'witness'>;
  private readonly cosignedSize: Gauge<'witness'>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly proofs: ProofsQuery,
    metrics: Metrics,
    @Inject(WITNESS_SETTINGS) private readonly settings: WitnessSettings,
  ) {
    this.statuses = settings.witnesses.map((w) => ({ name: w.key.name, url: w.url, heldSize: null, currentAt: null, lastFailure: null }));
    this.failures = metrics.counter(
      'ledger_witness_failures_total',
      'Checkpoint submissions to a witness that ended without a cosignature, by reason.',
      ['witness', 'reason'],
    );
    this.cosignedAt = metrics.labelledGauge(
      'ledger_witness_last_cosignature_timestamp_seconds',
      'When each witness last cosigned (or already held) the latest checkpoint.',
      ['witness'],
    );
    this.cosignedSize = metrics.labelledGauge(
      'ledger_witness_cosigned_size',
      'The tree size each witness holds, as far as the ledger knows.',
      ['witness'],
    );
  }

  onApplicationBootstrap(): void {
    if (this.settings.witnesses.length === 0) return;
    this.timer = setInterval(() => void this.roundNow(), this.settings.intervalMs);
    // Start from the sizes the stored cosignatures show, so a restarted ledger does not ask for a
    // second cosignature of a checkpoint already cosigned (a 409 corrects a wrong guess anyway).
    this.running = new CheckpointRepository(this.dataSource.manager)
      .cosignedSizes()
      .then((sizes) => {
        for (const s of this.statuses) s.heldSize = sizes.get(s.name) ?? null;
      })
      .catch((err: unknown) => this.logger.warn({ msg: 'could not read stored cosignatures', error: (err as Error).message }));
    void this.roundNow();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** A copy of what the ledger knows of each witness. */
  status(): WitnessStatus[] {
    return this.statuses.map((s) => ({ ...s }));
  }

  /** One round: the latest checkpoint to every witness, in parallel; serialised with other rounds. */
  roundNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const next = this.running.then(() => this.round());
    this.running = next.catch(() => undefined);
    return next.catch((err: unknown) => this.logger.error({ msg: 'witness round failed', error: (err as Error).message }));
  }

  /** Advisory readiness: names each witness that has not held the latest checkpoint for several intervals. */
  readiness(): ReadinessCheck {
    return {
      name: 'witnesses',
      advisory: true,
      check: async () => {
        const limit = this.settings.intervalMs * this.settings.behindAfterIntervals;
        const now = Date.now();
        const behind = this.statuses.filter((s) => (s.currentAt ?? this.startedAt) < now - limit);
        if (behind.length > 0) {
          throw new Error(
            `witness behind for over ${this.settings.behindAfterIntervals} intervals: ` +
              behind
                .map((s) => `${s.name} (${s.lastFailure ? `${s.lastFailure.reason}: ${s.lastFailure.detail}` : 'no cosignature yet'})`)
                .join('; '),
          );
        }
      },
    };
  }

  private async round(): Promise<void> {
    const repository = new CheckpointRepository(this.dataSource.manager);
    const latest = await repository.latest();
    if (latest === null) return;
    await Promise.all(this.settings.witnesses.map((w, i) => this.submit(w, this.statuses[i]!, latest, repository)));
  }

  private async submit(
    witness: WitnessEndpoint,
    status: WitnessStatus,
    checkpoint: StoredCheckpoint,
    repository: CheckpointRepository,
  ): Promise<void> {
    if (status.heldSize === checkpoint.treeSize && this.hasCosignature(checkpoint.note, witness)) {
      this.current(status, checkpoint.treeSize);
      return;
    }
    const fail = (reason: WitnessFailure, detail: string) => {
      status.lastFailure = { reason, detail, at: Date.now() };
      this.failures.inc({ witness: status.name, reason });
      this.logger.warn({ msg: 'witness did not cosign', witness: status.name, reason, detail, treeSize: checkpoint.treeSize });
    };
    let old = status.heldSize ?? 0;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      if (old > checkpoint.treeSize)
        return fail('conflict', `the witness holds size ${old}, beyond this log's latest checkpoint ${checkpoint.treeSize}`);
      let response: { status: number; body: string };
      try {
        response = await this.post(witness, old, checkpoint);
      } catch (err) {
        return fail('unreachable', (err as Error).message);
      }
      if (response.status === 200) return this.store(witness, status, checkpoint, response.body, repository, fail);
      if (response.status === 409) {
        const held = /^(0|[1-9][0-9]*)\n$/.exec(response.body);
        if (held === null)
          return fail('bad-response', `409 without a text/x.tlog.size body: ${JSON.stringify(response.body.slice(0, 100))}`);
        const size = Number(held[1]);
        status.heldSize = size;
        this.cosignedSize.set({ witness: status.name }, size);
        if (size === old) return fail('conflict', `the witness holds size ${size} with another root hash`);
        old = size;
        continue;
      }
      const detail = response.body.trim().slice(0, 300);
      if (response.status === 422) return fail('bad-proof', detail);
      if (response.status === 403) return fail('bad-signature', detail);
      if (response.status === 404) return fail('unknown-log', detail);
      return fail('http-error', `HTTP ${response.status}: ${detail}`);
    }
    return fail('conflict', 'the witness changed the size it holds while being asked');
  }

  private async post(witness: WitnessEndpoint, old: number, checkpoint: StoredCheckpoint): Promise<{ status: number; body: string }> {
    const proof =
      old > 0 && old < checkpoint.treeSize
        ? (await this.proofs.consistency(old, checkpoint.treeSize)).proof.map((h) => Buffer.from(h, 'hex'))
        : [];
    const response = await fetch(`${witness.url}/add-checkpoint`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: formatAddCheckpointRequest(old, proof, checkpoint.note),
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  }

  /** Keeps only the answer's lines that are this witness's valid cosignatures of this checkpoint. */
  private async store(
    witness: WitnessEndpoint,
    status: WitnessStatus,
    checkpoint: StoredCheckpoint,
    body: string,
    repository: CheckpointRepository,
    fail: (reason: WitnessFailure, detail: string) => void,
  ): Promise<void> {
    const lines = body
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => `${l}\n`);
    let valid: Array<{ line: string; timestamp: number }>;
    try {
      valid = lines.flatMap((line) => {
        const checked = checkCosignatures(appendSignatureLines(logNote(checkpoint.note), [line]), [witness.key]);
        return checked.valid.map((v) => ({ line, timestamp: v.timestamp }));
      });
    } catch (err) {
      return fail('bad-response', `the 200 answer is not signature lines: ${(err as Error).message}`);
    }
    if (valid.length === 0) return fail('bad-response', 'the 200 answer has no valid cosignature by this witness');
    for (const { line, timestamp } of valid)
      await repository.addCosignature(checkpoint.id, witness.key.name, new Date(timestamp * 1000), line);
    this.current(status, checkpoint.treeSize);
  }

  private current(status: WitnessStatus, size: number): void {
    status.heldSize = size;
    status.currentAt = Date.now();
    status.lastFailure = null;
    this.cosignedAt.set({ witness: status.name }, Math.floor(status.currentAt / 1000));
    this.cosignedSize.set({ witness: status.name }, size);
  }

  private hasCosignature(note: string, witness: WitnessEndpoint): boolean {
    return checkCosignatures(note, [witness.key]).valid.length > 0;
  }
}

/** The note with only its first signature line (the log's own): the ledger signs once, witnesses add lines after. */
function logNote(note: string): string {
  const { body } = parseNote(note);
  const first = note.slice(body.length + 1).split('\n')[0]!;
  return `${body}\n${first}\n`;
}
