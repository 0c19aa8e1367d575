import type { CloudEvent } from '@aal/contracts';
import { BatchConsumer, topicsFor, type ConsumedBatch, type KafkaClient } from '@aal/kafka';
import { authenticateEvent, examineEvent, type EventKeySet } from '@aal/ledger-core';
import { Logger, type FactoryProvider, type InjectionToken, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { Metrics } from './metrics';
import { KAFKA_CLIENT, PRODUCER_CONFIG, type ProducerService, type ProducerServiceConfig } from './producer-kit.module';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness';

const RESTART_DELAY_MS = 2000;
const SKIPPED_METRIC = 'projection_messages_skipped_total';

/** Where a consumed event sat in Kafka. */
export interface EventPosition {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset as a decimal string (int64). */
  readonly offset: string;
}

/**
 * Applies one valid event to the projection's tables inside the batch's transaction. It MUST be
 * idempotent: a batch is redelivered whole when the process dies between the database commit and
 * the offset commit, and a producer's outbox relay may publish an event twice.
 */
export type ProjectEvent = (tx: EntityManager, event: CloudEvent<unknown>, position: EventPosition) => Promise<unknown>;

export interface EventProjectionOptions {
  /**
   * Names the readiness check, the log context, the `projection` label of the skipped-messages
   * metric and the consumer group (`<topic prefix><service>.<name>`), e.g. `model-catalogue`.
   */
  readonly name: string;
  /** The producer whose events topic is read, from its beginning. */
  readonly from: ProducerService;
  readonly apply: ProjectEvent;
}

/** Thrown at start-up when a projection has no keys to verify the events it reads. */
export class ProjectionTrustError extends Error {}

/**
 * Keeps a service's read model of another service's events in step with that service's topic.
 * Each batch is applied in one database transaction, and BatchConsumer commits the offset only
 * after it, so a crash in between redelivers the batch (which the idempotent `apply` absorbs).
 * Only genuine events are applied: by the same rule as the ledger's intake (`examineEvent`,
 * `authenticateEvent`), each must be a valid event of the producer whose topic it came from, keyed
 * by its subject and signed by a key trusted for that producer (`eventKeys`, EVENT_KEYS_FILE), so
 * write access to Kafka alone cannot change what this service believes. Anything else is logged,
 * counted (`projection_messages_skipped_total`, by `projection` and refusal `code`) and skipped:
 * dead-lettering is the ledger's job, and the ledger reads the same topic.
 * The consumer starts in the background, so the API comes up while Kafka is briefly away; the
 * readiness check says whether the projection is keeping up.
 */
export class EventProjection implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly skipped: Counter<'projection' | 'code'>;
  private readonly eventKeys: EventKeySet;
  private consumer: BatchConsumer | null = null;
  private stopping = false;
  private running: Promise<void> | null = null;
  /** Why the projection is not keeping up, or null while it is (reported by readiness). */
  private problem: string | null = 'not started';

  readonly readiness: ReadinessCheck;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly config: ProducerServiceConfig,
    private readonly dataSource: DataSource,
    readinessChecks: ReadinessCheck[],
    metrics: Metrics,
    private readonly options: EventProjectionOptions,
  ) {
    this.logger = new Logger(options.name);
    if (!config.eventKeys.get(options.from)?.size) {
      throw new ProjectionTrustError(
        `${config.service}'s ${options.name} reads ${options.from}'s events and applies only those ${options.from} signed, but no event keys of ${options.from} are configured: set EVENT_KEYS_FILE (the key set the ledger trusts)`,
      );
    }
    this.eventKeys = config.eventKeys;
    // Several projections of one service share the metric; the registry refuses a second one.
    this.skipped =
      (metrics.registry.getSingleMetric(SKIPPED_METRIC) as Counter<'projection' | 'code'> | undefined) ??
      metrics.counter(
        SKIPPED_METRIC,
        'Consumed messages a projection skipped because they are not genuine events of their producer, by refusal code.',
        ['projection', 'code'],
      );
    this.readiness = {
      name: options.name,
      check: async () => {
        if (this.problem !== null) throw new Error(this.problem);
      },
    };
    readinessChecks.push(this.readiness);
  }

  onApplicationBootstrap(): void {
    this.running = this.keepStarting();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running;
    await this.consumer?.stop().catch(() => undefined);
    this.consumer = null;
  }

  private async keepStarting(): Promise<void> {
    const topic = topicsFor(this.config.kafka).events[this.options.from];
    const groupId = `${this.config.kafka.topicPrefix}${this.config.service}.${this.options.name}`;
    while (!this.stopping) {
      const consumer = new BatchConsumer(this.kafka, { groupId, topics: [topic], fromBeginning: true }, (batch) => this.handle(batch));
      try {
        await consumer.start();
        this.consumer = consumer;
        this.problem = null;
        return;
      } catch (err) {
        this.problem = `cannot consume ${topic}: ${(err as Error).message}`;
        this.logger.warn({ msg: `${this.options.name} consumer failed to start; retrying`, topic, err: (err as Error).message });
        await consumer.stop().catch(() => undefined);
        await new Promise((r) => setTimeout(r, RESTART_DELAY_MS));
      }
    }
  }

  private async handle(batch: ConsumedBatch): Promise<void> {
    const decisions = await Promise.all(
      batch.messages.map((m) => authenticateEvent(examineEvent(m, this.options.from, this.eventKeys), this.eventKeys)),
    );
    const events: Array<{ event: CloudEvent<unknown>; position: EventPosition }> = [];
    for (const decision of decisions) {
      const { topic, partition, offset } = decision.message;
      if (decision.kind === 'reject') {
        this.skipped.inc({ projection: this.options.name, code: decision.code });
        this.logger.warn({
          msg: 'skipped a message that is not a genuine event of its producer',
          topic,
          partition,
          offset,
          code: decision.code,
          reason: decision.reason,
        });
        continue;
      }
      events.push({ event: decision.event, position: { topic, partition, offset } });
    }
    try {
      await this.dataSource.transaction(async (tx) => {
        for (const { event, position } of events) await this.options.apply(tx, event, position);
      });
      this.problem = null;
    } catch (err) {
      // Rejecting makes kafkajs retry the batch; until it succeeds the projection is behind.
      this.problem = `cannot apply ${this.options.from} events: ${(err as Error).message}`;
      this.logger.error({
        msg: `${this.options.name} batch failed; it will be retried`,
        topic: batch.topic,
        partition: batch.partition,
        err: (err as Error).message,
      });
      throw err;
    }
  }
}

/**
 * The Nest provider of one projection, for a module of a service built on ProducerKitModule: it
 * gets the kit's Kafka client, configuration, data source, readiness list and metrics.
 */
export function eventProjectionProvider(token: InjectionToken, options: EventProjectionOptions): FactoryProvider<EventProjection> {
  return {
    provide: token,
    useFactory: (kafka: KafkaClient, config: ProducerServiceConfig, dataSource: DataSource, checks: ReadinessCheck[], metrics: Metrics) =>
      new EventProjection(kafka, config, dataSource, checks, metrics, options),
    inject: [KAFKA_CLIENT, PRODUCER_CONFIG, DataSource, READINESS_CHECKS, Metrics],
  };
}
