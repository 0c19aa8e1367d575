import { authenticateEvent, examineEvent, type AdmissionDecision, type EventKeySet } from '@aal/ledger-core';
import type { ConsumedBatch, OutgoingMessage, PartitionPosition, TopicPartition } from '@aal/kafka';
import type { ProducerName } from '@aal/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { acceptedEvents, planAppend } from '../domain/append-plan';
import { placeBatch } from '../domain/position';
import { deadLetterMessage } from '../infrastructure/dead-letter';
import { LogRepository } from '../../log/infrastructure/log.repository';
import { LedgerMetrics } from '../../ledger-metrics';
import { EntriesAppended } from './entries-appended.event';
import { startAppendSpans } from './intake-spans';

export interface IntakeDependencies {
  /** Id of the Kafka cluster the batches come from: stored positions are per cluster. */
  readonly clusterId: () => Promise<string>;
  readonly producerOfTopic: (topic: string) => ProducerName | undefined;
  /** Trusted event signing keys per producer (EVENT_KEYS_FILE). */
  readonly eventKeys: EventKeySet;
  readonly deadLetterTopic: string;
  /** Awaited: resolves only once the dead-letter topic acknowledged. */
  readonly publishDeadLetters: (messages: readonly OutgoingMessage[]) => Promise<void>;
  readonly now: () => Date;
}

export interface IntakeResult {
  readonly appended: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly skipped: number;
  /** Set when the batch started beyond the stored position: nothing was applied, read again from here. */
  readonly seekTo?: string;
}

export const INTAKE_DEPENDENCIES = Symbol('INTAKE_DEPENDENCIES');

/**
 * Turns one Kafka batch into log entries, exactly once. In one PostgreSQL transaction it skips
 * offsets already applied, validates, de-duplicates, appends with hashes, records refusals and
 * moves the partition's position; dead letters are acknowledged by Kafka before that commit, so a
 * crash at any point leads to a redelivery that changes nothing already recorded. The stored
 * position is authoritative: a batch that starts beyond it (the database is behind Kafka, e.g.
 * restored from a backup) applies nothing and asks for the partition to be read again from it.
 */
@Injectable()
export class IntakeService {
  private readonly logger = new Logger('Intake');

  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    @Inject(INTAKE_DEPENDENCIES) private readonly deps: IntakeDependencies,
    private readonly metrics: LedgerMetrics,
  ) {}

  /**
   * Where each assigned partition resumes: the ledger's stored next offset for the current
   * cluster, or 0 (its beginning) for a partition it never stored. Kafka's committed offsets are
   * only a hint; this is what the consumer seeks to on every assignment.
   */
  async startPositions(assigned: readonly TopicPartition[]): Promise<PartitionPosition[]> {
    const clusterId = await this.deps.clusterId();
    const stored = await new LogRepository(this.dataSource.manager).nextOffsets(clusterId, assigned);
    return assigned.map((p) => ({ ...p, offset: (stored(p.topic, p.partition) ?? 0n).toString() }));
  }

  async handle(batch: ConsumedBatch): Promise<IntakeResult> {
    // Validation and signature checks need no database: done before taking the ledger-wide append
    // lock, so batches of other partitions can append meanwhile (signatures are checked on the
    // thread pool, in parallel; a producer's batch signature once for all its events here).
    const { eventKeys } = this.deps;
    const memo = new Map<string, Promise<boolean>>();
    const examined = await Promise.all(
      batch.messages.map((m) => authenticateEvent(examineEvent(m, this.deps.producerOfTopic(m.topic), eventKeys), eventKeys, memo)),
    );
    const clusterId = await this.deps.clusterId();
    const spans = startAppendSpans(examined);
    const result = await this.applyBatch(batch, examined, clusterId).catch((err: Error) => {
      spans.end(err);
      throw err;
    });
    spans.end({
      appended: new Map(result.appended.map((e) => [e.offset, e.seq])),
      rejected: new Map(result.rejections.map((r) => [r.offset, r.code])),
      readAgain: result.gap !== null,
    });
    return this.report(batch, result, clusterId);
  }

  /** The batch's one transaction: skip what was applied, append, record refusals, move the position. */
  private async applyBatch(batch: ConsumedBatch, examined: readonly AdmissionDecision[], clusterId: string) {
    return this.dataSource.transaction(async (manager) => {
      const log = new LogRepository(manager);
      await log.lockForAppend();
      const from = await log.nextOffset(clusterId, batch.topic, batch.partition);
      const placement = placeBatch(
        from,
        batch.messages.map((m) => BigInt(m.offset)),
      );
      if (placement.kind === 'applied') return { appended: [], duplicates: 0, rejections: [], skipped: batch.messages.length, gap: null };
      if (placement.kind === 'gap') return { appended: [], duplicates: 0, rejections: [], skipped: batch.messages.length, gap: placement };

      const fresh = examined.slice(placement.fromIndex);
      const known = await log.knownEvents(acceptedEvents(fresh).map((d) => ({ source: d.event.source, id: d.event.id })));
      const head = await log.head();
      const recordedAt = this.deps.now().toISOString();
      const plan = planAppend(fresh, known, head.nextSeq, recordedAt);

      const appended = await log.append(plan.entries, head);
      await log.recordRejections(plan.rejections);
      await log.saveOffset(clusterId, batch.topic, batch.partition, plan.nextOffset);
      if (plan.rejections.length > 0) {
        await this.deps.publishDeadLetters(plan.rejections.map((r) => deadLetterMessage(this.deps.deadLetterTopic, r, recordedAt)));
      }
      return { appended, duplicates: plan.duplicates, rejections: plan.rejections, skipped: placement.fromIndex, gap: null };
    });
  }

  /** Logs and counts what a batch did. */
  private report(batch: ConsumedBatch, result: Awaited<ReturnType<IntakeService['applyBatch']>>, clusterId: string): IntakeResult {
    if (result.gap) {
      this.logger.warn({
        msg: 'batch starts beyond the stored position (the database is behind Kafka, e.g. restored); reading the partition again from there',
        clusterId,
        topic: batch.topic,
        partition: batch.partition,
        storedNextOffset: result.gap.seekTo.toString(),
        firstOffset: result.gap.firstOffset.toString(),
      });
      return { appended: 0, duplicates: 0, rejected: 0, skipped: result.skipped, seekTo: result.gap.seekTo.toString() };
    }
    for (const r of result.rejections) {
      this.logger.warn({
        msg: 'event dead-lettered',
        topic: r.topic,
        partition: r.partition,
        offset: r.offset,
        code: r.code,
        reason: r.reason,
      });
    }
    this.metrics.appended.inc(result.appended.length);
    this.metrics.duplicates.inc(result.duplicates);
    this.metrics.deadLettered.inc(result.rejections.length);
    if (result.appended.length > 0) this.eventBus.publish(new EntriesAppended(result.appended[0]!.seq, result.appended.length));
    return { appended: result.appended.length, duplicates: result.duplicates, rejected: result.rejections.length, skipped: result.skipped };
  }
}
