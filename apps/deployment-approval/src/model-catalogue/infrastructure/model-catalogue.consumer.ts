import { formatIssues, fromBinaryMessage, validateEvent, type CloudEvent } from '@aal/contracts';
import { BatchConsumer, topicsFor, type ConsumedBatch } from '@aal/kafka';
import { KAFKA_CLIENT, PRODUCER_CONFIG, READINESS_CHECKS, type ProducerServiceConfig, type ReadinessCheck } from '@aal/service-kit';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { applyCatalogueEvent } from './model-catalogue.projector';

const RESTART_DELAY_MS = 2000;

/**
 * Keeps the model catalogue (deployment_approval.model_versions, .safety_notices) in step with
 * model-registry's events topic. Each batch is applied in one database transaction; BatchConsumer
 * commits the Kafka offset only after the handler resolved, so a crash in between redelivers the
 * batch, which the idempotent projector absorbs. Messages that are not valid catalogue events are
 * logged and skipped: the ledger is the one that dead-letters them.
 */
@Injectable()
export class ModelCatalogueConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ModelCatalogue');
  private consumer: BatchConsumer | null = null;
  private stopping = false;
  private running: Promise<void> | null = null;
  /** Why the catalogue is not keeping up, or null while it is (reported by readiness). */
  private problem: string | null = 'not started';

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(PRODUCER_CONFIG) private readonly config: ProducerServiceConfig,
    private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {}

  readonly readiness: ReadinessCheck = {
    name: 'model-catalogue',
    check: async () => {
      if (this.problem !== null) throw new Error(this.problem);
    },
  };

  onApplicationBootstrap(): void {
    // ProducerKitModule owns the readiness list and does not export it; it is a plain array, so the
    // catalogue adds its own check rather than changing the shared kit (see docs/decisions.md).
    const checks = this.moduleRef.get<ReadinessCheck[]>(READINESS_CHECKS, { strict: false });
    if (!checks.includes(this.readiness)) checks.push(this.readiness);
    // Started in the background so the API comes up while Kafka is briefly away; readiness tells.
    this.running = this.keepRunning();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running;
    await this.consumer?.stop().catch(() => undefined);
    this.consumer = null;
  }

  private async keepRunning(): Promise<void> {
    const topic = topicsFor(this.config.kafka).events['model-registry'];
    while (!this.stopping) {
      const consumer = new BatchConsumer(
        this.kafka,
        { groupId: `${this.config.kafka.topicPrefix}deployment-approval.model-catalogue`, topics: [topic], fromBeginning: true },
        (batch) => this.handle(batch),
      );
      try {
        await consumer.start();
        this.consumer = consumer;
        this.problem = null;
        return;
      } catch (err) {
        this.problem = `cannot consume ${topic}: ${(err as Error).message}`;
        this.logger.warn({ msg: 'model catalogue consumer failed to start; retrying', topic, err: (err as Error).message });
        await consumer.stop().catch(() => undefined);
        await new Promise((r) => setTimeout(r, RESTART_DELAY_MS));
      }
    }
  }

  private async handle(batch: ConsumedBatch): Promise<void> {
    const events: CloudEvent<unknown>[] = [];
    for (const m of batch.messages) {
      const decoded = fromBinaryMessage(m.headers, m.value);
      const issues = decoded.ok ? validateEvent(decoded.event) : decoded.issues;
      if (!decoded.ok || issues.length > 0) {
        this.logger.warn({
          msg: 'skipped a message that is not a valid catalogue event',
          topic: m.topic,
          partition: m.partition,
          offset: m.offset,
          problems: formatIssues(issues),
        });
        continue;
      }
      events.push(decoded.event);
    }
    try {
      await this.dataSource.transaction(async (tx) => {
        for (const event of events) await applyCatalogueEvent(tx, event);
      });
      this.problem = null;
    } catch (err) {
      // Rejecting makes kafkajs retry the batch; until it succeeds the catalogue is behind.
      this.problem = `cannot apply model-registry events: ${(err as Error).message}`;
      this.logger.error({ msg: 'model catalogue batch failed; it will be retried', topic: batch.topic, partition: batch.partition, err: (err as Error).message });
      throw err;
    }
  }
}
