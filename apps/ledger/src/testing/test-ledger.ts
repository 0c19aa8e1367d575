import type { CloudEvent } from '@aal/contracts';
import { EventPublisher, type KafkaClient, type KafkaSettings } from '@aal/kafka';
import {
  asKafkaMessage,
  createTestDatabase,
  createTestKafka,
  eventually,
  httpClient,
  startApp,
  testAuthSettings,
  testCheckpointSettings,
  testLedgerEventKeys,
  type HttpResult,
  type RunningApp,
  type TestDatabase,
} from '@aal/testing';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { AppModule } from '../app.module';
import type { LedgerConfig } from '../config';
import { LEDGER_SCHEMA } from '../database/ledger.schema';

/** The latest checkpoint as `GET /checkpoints/latest` answers it. */
export interface LatestCheckpoint {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly note: string;
}

/**
 * The ledger service in this process on its own fresh database and Kafka topics, as the
 * integration and API tests start it, with a publisher for feeding it signed events.
 */
export class TestLedger {
  private running: RunningApp;
  private client: ReturnType<typeof httpClient>;

  private constructor(
    readonly db: TestDatabase,
    readonly kafka: KafkaClient,
    readonly settings: KafkaSettings,
    private configured: LedgerConfig,
    readonly publisher: EventPublisher,
    running: RunningApp,
  ) {
    this.running = running;
    this.client = httpClient(running.baseUrl);
  }

  /**
   * Creates the database and topics, then starts the ledger with test checkpoint, auth and event
   * keys unless `overrides` gives its own. `clientId` names this test's Kafka client.
   */
  static async start(clientId: string, overrides: Partial<Omit<LedgerConfig, 'port' | 'database' | 'kafka'>> = {}): Promise<TestLedger> {
    const db = await createTestDatabase([LEDGER_SCHEMA]);
    try {
      const { kafka, settings } = await createTestKafka(clientId);
      const config: LedgerConfig = {
        port: 0,
        database: db.settings,
        kafka: settings,
        checkpoints: testCheckpointSettings().settings,
        auth: testAuthSettings('ledger'),
        ...testLedgerEventKeys(),
        ...overrides,
      };
      return new TestLedger(db, kafka, settings, config, new EventPublisher(kafka), await startApp(AppModule.register(config), 'ledger'));
    } catch (err) {
      await db.drop().catch(() => undefined);
      throw err;
    }
  }

  /** The configuration the running service started with. */
  get config(): LedgerConfig {
    return this.configured;
  }

  /** The running service's Nest application (a new one after `restart`). */
  get app(): INestApplication {
    return this.running.app;
  }

  get baseUrl(): string {
    return this.running.baseUrl;
  }

  /** A JSON client for the running service. */
  get call(): ReturnType<typeof httpClient> {
    return this.client;
  }

  /** Publishes `events` on their producers' topics, each signed by its producer's test key. */
  publish(events: readonly CloudEvent<unknown>[]): Promise<void> {
    return this.publisher.publish(events.map((e) => asKafkaMessage(e, this.settings.topicPrefix)));
  }

  /** Waits until the latest checkpoint's size satisfies `reached`, and returns that checkpoint. */
  async checkpoint(reached: (treeSize: number) => boolean, what: string, timeoutMs = 60000): Promise<LatestCheckpoint> {
    const latest = await eventually(
      (): Promise<HttpResult<LatestCheckpoint>> => this.call('GET', '/checkpoints/latest'),
      (r) => r.status === 200 && reached(r.body.treeSize),
      timeoutMs,
      what,
    );
    return latest.body;
  }

  /** Runs `work` with a client connected as the database's superuser. */
  async asAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: this.db.adminUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  /**
   * Stops the service, runs `meanwhile`, and starts it again on the same database and topics,
   * with `overrides` applied to its configuration from then on (an operator's change, say a key rotation).
   */
  async restart(
    meanwhile: () => Promise<void> = async () => undefined,
    overrides: Partial<Omit<LedgerConfig, 'port' | 'database' | 'kafka'>> = {},
  ): Promise<void> {
    await this.running.close();
    await meanwhile();
    this.configured = { ...this.configured, ...overrides };
    this.running = await startApp(AppModule.register(this.configured), 'ledger');
    this.client = httpClient(this.running.baseUrl);
  }

  /** Instead of `stop`: stops the publisher and the service but keeps the database, for tests that go on below the service. */
  async closeApp(): Promise<void> {
    await this.publisher.disconnect();
    await this.running.close();
  }

  async stop(): Promise<void> {
    await this.publisher.disconnect();
    await this.running.close();
    await this.db.drop();
  }
}
