import { roleNames, urlForRole, type DatabaseSettings } from '@aal/database';
import { EventPublisher, type KafkaClient } from '@aal/kafka';
import { OutboxRelay } from '@aal/outbox';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/**
 * Publishes the ledger's own outbox (case events) to the ledger's events topic for the service's
 * lifetime. The intake reads that topic like every other, so case events enter the log through
 * the same validation, de-duplication and hashing as everyone else's.
 */
export class LedgerOutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LedgerOutboxRelay');
  private readonly publisher: EventPublisher;
  readonly relay: OutboxRelay;

  constructor(kafka: KafkaClient, database: DatabaseSettings) {
    this.publisher = new EventPublisher(kafka);
    this.relay = new OutboxRelay({
      connectionString: urlForRole(database.adminUrl, roleNames('ledger').appRole, database.appPassword),
      schema: 'ledger',
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
  }
}
