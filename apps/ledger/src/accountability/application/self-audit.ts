import {
  answerAccountability,
  comparableAnswer,
  decodeFactEntry,
  FactIndex,
  factsForAnswer,
  firstDifference,
  type Fact,
} from '@aal/accountability';
import { DomainError } from '@aal/domain';
import { Metrics } from '@aal/service-kit';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { FactsRepository, UndecodableEntryError } from '../infrastructure/facts.repository';
import { AccountabilityQuery } from './accountability.query';
import { FACTS_PAGE } from './facts.projection';

export interface SelfAuditSettings {
  /** How often the audit runs; 0 switches it off. */
  readonly intervalMs: number;
  /** Outputs recomputed per run. */
  readonly sampleSize: number;
  /** Pages of FACTS_PAGE entries one run may scan. */
  readonly pageBudget: number;
}

export const SELF_AUDIT_SETTINGS = Symbol('SELF_AUDIT_SETTINGS');

export const DEFAULT_SELF_AUDIT: SelfAuditSettings = { intervalMs: 60_000, sampleSize: 5, pageBudget: 40 };

export function selfAuditFromEnv(env: NodeJS.ProcessEnv): SelfAuditSettings {
  const num = (name: string, fallback: number) => (env[name] === undefined ? fallback : Number(env[name]));
  return {
    intervalMs: num('SELF_AUDIT_INTERVAL_MS', DEFAULT_SELF_AUDIT.intervalMs),
    sampleSize: num('SELF_AUDIT_SAMPLE_SIZE', DEFAULT_SELF_AUDIT.sampleSize),
    pageBudget: num('SELF_AUDIT_PAGE_BUDGET', DEFAULT_SELF_AUDIT.pageBudget),
  };
}

/** One disagreement between what the entries say and what the ledger serves. */
export interface SelfAuditMismatch {
  readonly outputId: string | null;
  /** The entry concerned: one the answer should rest on and does not (or the reverse), or one that does not decode. */
  readonly seq: number | null;
  readonly pointer: string;
  readonly detail: string;
}

export interface SelfAuditRun {
  /** Entries scanned: seqs 0 to `knownAt`. */
  readonly knownAt: number;
  readonly audited: string[];
  readonly mismatches: SelfAuditMismatch[];
}

/**
 * The ledger audits its own answers. Each run scans the log directly (never through the facts
 * index) from seq 0, up to the projection's position or the page budget, decodes every entry,
 * picks a rotating sample of the outputs generated in that range, and recomputes each answer at
 * `knownAt` = the last scanned seq from the scanned facts. It compares that with the answer the
 * ledger serves (built through the index) and the entries each rests on. A mismatch is logged with
 * the output and seq, counted in `ledger_self_audit_mismatches_total`, and turns `/health/ready`
 * degraded until a run finds none. Bounded: a log longer than the budget is audited on its prefix.
 */
@Injectable()
export class SelfAudit implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SelfAudit');
  private readonly facts: FactsRepository;
  private readonly mismatchesTotal: Counter;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private round = 0;
  /** The mismatches of the last run; empty when it found none. */
  lastMismatches: SelfAuditMismatch[] = [];

  constructor(
    dataSource: DataSource,
    private readonly query: AccountabilityQuery,
    metrics: Metrics,
    @Inject(SELF_AUDIT_SETTINGS) private readonly settings: SelfAuditSettings,
  ) {
    this.facts = new FactsRepository(dataSource);
    this.mismatchesTotal = metrics.counter(
      'ledger_self_audit_mismatches_total',
      'Answers (or entries) the self-audit found to differ from what the log says.',
    );
  }

  onApplicationBootstrap(): void {
    if (this.settings.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.running = this.runOnce().catch((err: unknown) =>
        this.logger.error({ msg: 'self-audit failed to run', error: (err as Error).message }),
      );
    }, this.settings.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async runOnce(): Promise<SelfAuditRun> {
    const { facts, mismatches, knownAt } = await this.scan();
    const generated = facts.filter((f) => f.name === 'output.generated');
    const audited: string[] = [];
    const index = new FactIndex(facts);
    if (knownAt >= 0 && generated.length > 0) {
      const start = (this.round * this.settings.sampleSize) % generated.length;
      for (let i = 0; i < Math.min(this.settings.sampleSize, generated.length); i += 1) {
        const g = generated[(start + i) % generated.length]!;
        if (g.name !== 'output.generated') continue;
        audited.push(g.data.outputId);
        const found = await this.compare(g.data.outputId, index, facts, knownAt);
        if (found) mismatches.push(found);
      }
    }
    this.round += 1;
    for (const m of mismatches)
      this.logger.error({ msg: 'self-audit mismatch', outputId: m.outputId, seq: m.seq, pointer: m.pointer, detail: m.detail });
    if (mismatches.length > 0) this.mismatchesTotal.inc(mismatches.length);
    this.lastMismatches = mismatches;
    return { knownAt, audited, mismatches };
  }

  /** Decodes the log from seq 0 within the budget and below the projection's position. */
  private async scan(): Promise<{ facts: Fact[]; mismatches: SelfAuditMismatch[]; knownAt: number }> {
    const position = await this.facts.position();
    const facts: Fact[] = [];
    const mismatches: SelfAuditMismatch[] = [];
    let next = 0;
    for (let page = 0; page < this.settings.pageBudget && next < position; page += 1) {
      const entries = (await this.facts.entriesFrom(next, FACTS_PAGE)).filter((e) => e.seq < position);
      if (entries.length === 0) break;
      for (const e of entries) {
        const decoded = decodeFactEntry(e);
        if (decoded.ok) facts.push(decoded.fact);
        else
          mismatches.push({
            outputId: null,
            seq: e.seq,
            pointer: '',
            detail: `entry ${e.seq} does not decode as a valid catalogue event: ${decoded.issues.map((i) => `${i.pointer} ${i.message}`).join('; ')}`,
          });
      }
      next = entries[entries.length - 1]!.seq + 1;
    }
    return { facts, mismatches, knownAt: next - 1 };
  }

  private async compare(outputId: string, index: FactIndex, facts: readonly Fact[], knownAt: number): Promise<SelfAuditMismatch | null> {
    const last = facts.filter((f) => f.seq <= knownAt).pop();
    const recordedAt = last?.recordedAt ?? '';
    // The entries the answer should rest on: the index's own rule applied to the decoded entries.
    const inputs = factsForAnswer(outputId, index, knownAt) ?? [];
    const recomputed = answerAccountability(outputId, inputs, { knownAt: { seq: knownAt, recordedAt, source: 'requested' } });
    let served: Awaited<ReturnType<AccountabilityQuery['forOutput']>> | null;
    try {
      served = await this.query.forOutput(outputId, { knownAt: { seq: knownAt } });
    } catch (err) {
      if (err instanceof UndecodableEntryError)
        return { outputId, seq: err.seq, pointer: '', detail: `the ledger cannot answer for the output: ${err.message}` };
      if (!(err instanceof DomainError) || err.kind !== 'not-found') throw err;
      served = null;
    }
    const should = inputs.map((f) => f.seq);
    const rests = served?.basis.seqs ?? [];
    const missing = should.find((s) => !rests.includes(s));
    const extra = rests.find((s) => !should.includes(s));
    const difference = firstDifference(comparableAnswer(recomputed), comparableAnswer(served));
    if (!difference && missing === undefined && extra === undefined) return null;
    const seq = missing ?? extra ?? null;
    const why =
      missing !== undefined
        ? `the served answer leaves out entry ${missing}`
        : extra !== undefined
          ? `the served answer rests on entry ${extra}, which the log does not relate to it`
          : 'the served answer differs';
    return {
      outputId,
      seq,
      pointer: difference?.pointer ?? '/basis/seqs',
      detail: `${why}${difference ? ` (first difference at ${difference.pointer || '/'})` : ''}`,
    };
  }
}
