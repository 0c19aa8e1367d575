import { Module } from '@nestjs/common';
import { LedgerMetrics } from '../ledger-metrics';
import { IntakeService } from './application/intake.service';
import { LedgerConsumer } from './infrastructure/ledger-consumer';

/**
 * Kafka batches into log entries, exactly once: the consumer and the intake service it feeds
 * (its ports come from LedgerKafkaModule). Appends are announced on the event bus
 * (EntriesAppended), so nothing here needs the features that follow the log.
 */
@Module({ providers: [IntakeService, LedgerConsumer, LedgerMetrics] })
export class IntakeModule {}
