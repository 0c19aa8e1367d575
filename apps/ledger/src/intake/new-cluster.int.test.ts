import { EventPublisher } from '@aal/kafka';
import {
  actors,
  asKafkaMessage,
  createTestDatabase,
  createTestKafka,
  eventually,
  makeEvent,
  privateKafka,
  startApp,
  testAuthSettings,
  testCheckpointSettings,
  testLedgerEventKeys,
  type TestDatabase,
} from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AppModule } from '../app.module';
import { LEDGER_SCHEMA } from '../database/ledger.schema';

/**
 * Offsets belong to a cluster. When the ledger is pointed at a new Kafka cluster whose topics
 * start again at offset 0, the positions it stored for the old cluster must not make it skip the
 * new cluster's first messages: that would lose accepted events without a trace.
 */
describe('a ledger moved to a new Kafka cluster', () => {
  let db: TestDatabase;

  afterAll(async () => {
    await db?.drop();
  });

  it('reads the new cluster from its beginning and loses nothing', async () => {
    db = await createTestDatabase([LEDGER_SCHEMA]);
    const admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    const entries = async () => Number((await admin.query('SELECT count(*) AS n FROM ledger.entries')).rows[0].n);
    const keys = testCheckpointSettings();
    const runOn = async (brokers: string, events: number) => {
      const { settings, kafka } = await createTestKafka('moved', { brokers, topicPrefix: 'moved.', partitions: 1 });
      const publisher = new EventPublisher(kafka);
      await publisher.publish(Array.from({ length: events }, () => asKafkaMessage(model(), settings.topicPrefix)));
      await publisher.disconnect();
      const before = await entries();
      const ledger = await startApp(
        AppModule.register({
          port: 0,
          database: db.settings,
          kafka: settings,
          checkpoints: keys.settings,
          auth: testAuthSettings('ledger'),
          ...testLedgerEventKeys(),
        }),
        'ledger',
      );
      try {
        await eventually(entries, (n) => n === before + events, 60000, `${events} new entries`);
      } finally {
        await ledger.close();
      }
    };
    try {
      const first = await privateKafka();
      try {
        await runOn(first.brokers, 6);
      } finally {
        await first.dispose();
      }
      const second = await privateKafka();
      try {
        await runOn(second.brokers, 3);
      } finally {
        await second.dispose();
      }
      expect(await entries()).toBe(9);
      const clusters = await admin.query('SELECT count(DISTINCT cluster_id) AS n FROM ledger.consumer_positions');
      expect(Number(clusters.rows[0].n)).toBe(2);
    } finally {
      await admin.end();
    }
  });
});

function model() {
  return makeEvent('model.registered', {
    modelId: randomUUID(),
    vendorId: 'acme-ai',
    name: 'Moved',
    intendedPurpose: 'Cluster move test.',
    riskClass: 'uk-mdr-class-i',
    manufacturerSafetyOfficer: 'psn_acmecso00001',
    actor: actors.vendorAdmin,
  });
}
