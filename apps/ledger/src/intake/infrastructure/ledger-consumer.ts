import { BatchConsumer, type KafkaSettings, type KafkaClient } from '@aal/kafka';
import { producerTopics, topicNames } from '@aal/contracts';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { IntakeService } from '../application/intake.service';

export const LEDGER_KAFKA = Symbol('LEDGER_KAFKA');
export const LEDGER_KAFKA_SETTINGS = Symbol('LEDGER_KAFKA_SETTINGS');

/** Consumer-group member reading every producer topic into the intake, batch by batch. */
@Injectable()
export class LedgerConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LedgerConsumer');
  private readonly consumer: BatchConsumer;

  constructor(@Inject(LEDGER_KAFKA) kafka: KafkaClient, @Inject(LEDGER_KAFKA_SETTINGS) settings: KafkaSettings, intake: IntakeService) {
    this.consumer = new BatchConsumer(
      kafka,
      // Partitions are handled concurrently: validation overlaps another batch's append, which
      // the intake serialises with its append lock.
      // The ledger's stored positions, not Kafka's committed offsets, say where each partition
      // resumes (a restored database must not skip what it lost): sought on every assignment,
      // and again whenever a batch starts beyond them.
      {
        groupId: `${settings.topicPrefix}aal-ledger`,
        topics: producerTopics(topicNames(settings.topicPrefix)),
        partitionsConcurrently: 3,
        startPositions: (assigned) => intake.startPositions(assigned),
      },
      async (batch) => {
        const result = await intake.handle(batch);
        this.logger.debug({ msg: 'batch', topic: batch.topic, partition: batch.partition, ...result });
        return result.seekTo === undefined ? undefined : { seekTo: result.seekTo };
      },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
