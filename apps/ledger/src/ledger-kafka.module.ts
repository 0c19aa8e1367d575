import { topicNames, type ProducerName } from '@aal/contracts';
import { createKafka, EventPublisher, type KafkaClient } from '@aal/kafka';
import { kafkaReadiness } from '@aal/service-kit';
import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { LedgerConfig } from './config';
import { INTAKE_DEPENDENCIES, type IntakeDependencies } from './intake/application/intake.service';
import { LEDGER_KAFKA, LEDGER_KAFKA_SETTINGS } from './intake/infrastructure/ledger-consumer';
import { caseEventSigningKey, trustingOwnCaseEvents } from './investigations/infrastructure/case-event-key';

@Injectable()
class DeadLetterPublisher implements OnApplicationShutdown {
  readonly publisher: EventPublisher;
  constructor(@Inject(LEDGER_KAFKA) kafka: KafkaClient) {
    this.publisher = new EventPublisher(kafka);
  }
  async onApplicationShutdown(): Promise<void> {
    await this.publisher.disconnect();
  }
}

export const LEDGER_KAFKA_READINESS = Symbol('LEDGER_KAFKA_READINESS');

@Injectable()
class KafkaReadinessLifecycle implements OnApplicationShutdown {
  constructor(@Inject(LEDGER_KAFKA_READINESS) private readonly check: ReturnType<typeof kafkaReadiness>) {}
  async onApplicationShutdown(): Promise<void> {
    await this.check.close();
  }
}

/** Kafka wiring of the ledger: the client, the dead-letter producer and the intake's ports. */
@Module({})
export class LedgerKafkaModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    const names = topicNames(config.kafka.topicPrefix);
    const producerOf = new Map(Object.entries(names.events).map(([producer, topic]) => [topic, producer as ProducerName]));
    return {
      module: LedgerKafkaModule,
      global: true,
      providers: [
        { provide: LEDGER_KAFKA_SETTINGS, useValue: config.kafka },
        { provide: LEDGER_KAFKA, useFactory: () => createKafka(config.kafka) },
        DeadLetterPublisher,
        { provide: LEDGER_KAFKA_READINESS, useFactory: (kafka: KafkaClient) => kafkaReadiness(kafka), inject: [LEDGER_KAFKA] },
        KafkaReadinessLifecycle,
        {
          provide: INTAKE_DEPENDENCIES,
          useFactory: (dlq: DeadLetterPublisher, kafka: KafkaClient): IntakeDependencies => ({
            clusterId: () => kafka.clusterId(),
            producerOfTopic: (topic) => producerOf.get(topic),
            // The ledger's own case events come back through this intake, signed by the ledger.
            eventKeys: trustingOwnCaseEvents(config.eventKeys, caseEventSigningKey(config)),
            deadLetterTopic: names.deadLetter,
            publishDeadLetters: (messages) => dlq.publisher.publish(messages),
            now: () => new Date(),
          }),
          inject: [DeadLetterPublisher, LEDGER_KAFKA],
        },
      ],
      exports: [LEDGER_KAFKA, LEDGER_KAFKA_SETTINGS, INTAKE_DEPENDENCIES, LEDGER_KAFKA_READINESS],
    };
  }
}
