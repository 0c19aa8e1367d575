import { appDataSourceOptions, urlForRole, type DatabaseSettings, type ServiceSchema } from '@aal/database';
import { createKafka, EventPublisher, topicsFor, type KafkaSettings } from '@aal/kafka';
import { OutboxRelay } from '@aal/outbox';
import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AggregateStore } from './aggregate-store';
import { CLOCK, systemClock } from './clock';
import { HealthController, READINESS_CHECKS } from './readiness';
import { kafkaReadiness, postgresReadiness } from './readiness-checks';

export type ProducerService = 'model-registry' | 'deployment-approval' | 'usage-events';

export interface ProducerServiceConfig {
  readonly service: ProducerService;
  readonly instanceId: string;
  readonly database: DatabaseSettings;
  readonly kafka: KafkaSettings;
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
  ) {
    this.relay = new OutboxRelay({
      connectionString: urlForRole(config.database.adminUrl, schema.appRole, config.database.appPassword),
      schema: schema.schema,
      publish: (messages) => this.publisher.publish(messages),
      log: (level, msg, extra) => this.logger[level === 'info' ? 'log' : level]({ msg, ...extra }),
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
 * to Kafka, and health checks for both.
 */
@Module({})
export class ProducerKitModule {
  static forRoot(config: ProducerServiceConfig, schema: ServiceSchema): DynamicModule {
    const topic = topicsFor(config.kafka).events[config.service];
    const source = `/aal/${config.service}/${config.instanceId}`;
    return {
      module: ProducerKitModule,
      global: true,
      imports: [TypeOrmModule.forRoot(appDataSourceOptions(config.database, schema))],
      controllers: [HealthController],
      providers: [
        { provide: PRODUCER_CONFIG, useValue: config },
        { provide: SERVICE_SCHEMA, useValue: schema },
        { provide: CLOCK, useValue: systemClock },
        { provide: KAFKA_CLIENT, useFactory: () => createKafka(config.kafka) },
        { provide: EventPublisher, useFactory: (kafka: Kafka) => new EventPublisher(kafka), inject: [KAFKA_CLIENT] },
        { provide: KAFKA_READINESS, useFactory: (kafka: Kafka) => kafkaReadiness(kafka), inject: [KAFKA_CLIENT] },
        {
          provide: AggregateStore,
          useFactory: (ds: DataSource) => new AggregateStore(ds, schema.schema, topic, { source, newId: randomUUID }),
          inject: [DataSource],
        },
        {
          provide: READINESS_CHECKS,
          useFactory: (ds: DataSource, kafkaCheck: ReturnType<typeof kafkaReadiness>) => [postgresReadiness(ds), kafkaCheck],
          inject: [DataSource, KAFKA_READINESS],
        },
        OutboxRelayLifecycle,
      ],
      exports: [PRODUCER_CONFIG, CLOCK, AggregateStore, KAFKA_CLIENT, OutboxRelayLifecycle],
    };
  }
}
