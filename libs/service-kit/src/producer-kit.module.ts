import { AuthModule, type AuthSettings } from '@aal/auth';
import type { ProducerName } from '@aal/contracts';
import { appDataSourceOptions, urlForRole, type DatabaseSettings, type ServiceSchema } from '@aal/database';
import { createKafka, EventPublisher, topicsFor, type KafkaSettings, type KafkaClient } from '@aal/kafka';
import type { EventKeySet, EventSigningKey } from '@aal/ledger-core';
import { OutboxRelay } from '@aal/outbox';
import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AggregateStore } from './aggregate-store';
import { CLOCK, systemClock } from './clock';
import { Metrics, MetricsModule } from './metrics';
import { HealthController, READINESS_CHECKS } from './readiness';
import { RetentionJob, retentionSettingsFromEnv } from './retention.job';
import { kafkaReadiness, postgresReadiness } from './readiness-checks';

/** The services built on this kit: every producer but the ledger. */
export type ProducerService = Exclude<ProducerName, 'ledger'>;

export interface ProducerServiceConfig {
  readonly service: ProducerService;
  readonly instanceId: string;
  readonly database: DatabaseSettings;
  readonly kafka: KafkaSettings;
  readonly auth: AuthSettings;
  /** The service's own Ed25519 key, which signs every event it publishes (EVENT_SIGNING_KEY_FILE). */
  readonly eventSigning: EventSigningKey;
  /**
   * Public keys of the producers whose events this service reads (EVENT_KEYS_FILE): its
   * projections apply only events their producer signed. Empty for a service that reads none.
   */
  readonly eventKeys: EventKeySet;
}

export const PRODUCER_CONFIG = Symbol('PRODUCER_CONFIG');
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
const SERVICE_SCHEMA = Symbol('SERVICE_SCHEMA');
const KAFKA_READINESS = Symbol('KAFKA_READINESS');

/** Runs the outbox relay for the service's lifetime and closes Kafka connections on shutdown. */
@Injectable()
export class OutboxRelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  readonly relay: OutboxRelay;

  constructor(
    @Inject(PRODUCER_CONFIG) config: ProducerServiceConfig,
    @Inject(SERVICE_SCHEMA) schema: ServiceSchema,
    private readonly publisher: EventPublisher,
    @Inject(KAFKA_READINESS) private readonly kafkaCheck: ReturnType<typeof kafkaReadiness>,
    metrics: Metrics,
    dataSource: DataSource,
  ) {
    const published = metrics.counter('outbox_published_total', 'Events published from the outbox to Kafka.');
    const failures = metrics.counter('outbox_publish_failures_total', 'Outbox relay passes that failed (Kafka or database unavailable).');
    const latency = metrics.histogram(
      'outbox_publish_seconds',
      'Time to publish one outbox batch to Kafka and mark it sent.',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    );
    metrics.gauge('outbox_backlog', 'Outbox rows not yet published.', async () => {
      const rows: Array<{ n: number }> = await dataSource.query(
        `SELECT count(*)::int AS n FROM ${schema.schema}.outbox WHERE published_at IS NULL`,
      );
      return rows[0]!.n;
    });
    metrics.gauge('outbox_oldest_unpublished_seconds', 'Age of the oldest event waiting in the outbox.', async () => {
      const rows: Array<{ s: number | null }> = await dataSource.query(
        `SELECT extract(epoch FROM now() - min(created_at))::float AS s FROM ${schema.schema}.outbox WHERE published_at IS NULL`,
      );
      return rows[0]!.s ?? 0;
    });
    this.relay = new OutboxRelay({
      connectionString: urlForRole(config.database.adminUrl, schema.appRole, config.database.appPassword),
      schema: schema.schema,
      publish: async (messages) => {
        const stop = latency.startTimer();
        await this.publisher.publish(messages);
        stop();
        published.inc(messages.length);
      },
      log: (level, msg, extra) => {
        if (level !== 'info') failures.inc();
        this.logger[level === 'info' ? 'log' : level]({ msg, ...extra });
      },
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.publisher.disconnect().catch(() => undefined);
    await this.kafkaCheck.close();
  }
}

/**
 * Everything a producing service shares: its database connection (as its login role), the
 * aggregate store whose transactions also write the outbox, the relay that publishes the outbox
 * to Kafka, health checks for both, and the retention job of its schema.
 */
@Module({})
export class ProducerKitModule {
  static forRoot(config: ProducerServiceConfig, schema: ServiceSchema): DynamicModule {
    const topic = topicsFor(config.kafka).events[config.service];
    const source = `/aal/${config.service}/${config.instanceId}`;
    return {
      module: ProducerKitModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot(appDataSourceOptions(config.database, schema)),
        MetricsModule.forRoot(config.service),
        AuthModule.forRoot(config.auth),
      ],
      controllers: [HealthController],
      providers: [
        { provide: PRODUCER_CONFIG, useValue: config },
        { provide: SERVICE_SCHEMA, useValue: schema },
        { provide: CLOCK, useValue: systemClock },
        { provide: KAFKA_CLIENT, useFactory: () => createKafka(config.kafka) },
        { provide: EventPublisher, useFactory: (kafka: KafkaClient) => new EventPublisher(kafka), inject: [KAFKA_CLIENT] },
        { provide: KAFKA_READINESS, useFactory: (kafka: KafkaClient) => kafkaReadiness(kafka), inject: [KAFKA_CLIENT] },
        {
          provide: AggregateStore,
          useFactory: (ds: DataSource) =>
            new AggregateStore(ds, schema.schema, topic, { source, newId: randomUUID, signingKey: config.eventSigning }),
          inject: [DataSource],
        },
        {
          provide: READINESS_CHECKS,
          useFactory: (ds: DataSource, kafkaCheck: ReturnType<typeof kafkaReadiness>) => [postgresReadiness(ds), kafkaCheck],
          inject: [DataSource, KAFKA_READINESS],
        },
        OutboxRelayLifecycle,
        {
          // Producers' rows are no case's evidence (the ledger's are), so they purge without asking about holds.
          provide: RetentionJob,
          useFactory: (metrics: Metrics) =>
            new RetentionJob({
              schema,
              connectionString: urlForRole(config.database.adminUrl, schema.appRole, config.database.appPassword),
              settings: retentionSettingsFromEnv(schema),
              clock: systemClock,
              metrics,
            }),
          inject: [Metrics],
        },
      ],
      // READINESS_CHECKS is exported so feature modules can add checks of their own (EventProjection does).
      exports: [PRODUCER_CONFIG, CLOCK, AggregateStore, KAFKA_CLIENT, OutboxRelayLifecycle, READINESS_CHECKS, RetentionJob],
    };
  }
}
