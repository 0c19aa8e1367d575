import { databaseName, databaseSettingsFromEnv, ensureDatabase, provisionSchema } from '@aal/database';
import { createKafka, ensureTopics, kafkaSettingsFromEnv, systemTopicSpecs } from '@aal/kafka';
import { ALL_SCHEMAS } from './service-schemas';

/**
 * Prepares a PostgreSQL database and a Kafka cluster for the services: creates the database,
 * the owner and login roles and schemas, runs every migration as the owner role, and creates the
 * topics explicitly. Idempotent; `npm run stack:up` runs it before starting the services.
 */
async function main(): Promise<void> {
  const database = databaseSettingsFromEnv();
  await ensureDatabase(database.adminUrl);
  for (const schema of ALL_SCHEMAS) {
    await provisionSchema(database.adminUrl, schema, database.appPassword);
  }
  process.stdout.write(`database ${databaseName(database.adminUrl)}: ${ALL_SCHEMAS.map((s) => s.schema).join(', ')} migrated\n`);

  const kafkaSettings = kafkaSettingsFromEnv('aal-setup');
  const created = await ensureTopics(createKafka(kafkaSettings), systemTopicSpecs(kafkaSettings));
  process.stdout.write(
    `kafka ${kafkaSettings.brokers.join(',')}: ${created.length} topic(s) created, ${systemTopicSpecs(kafkaSettings).length} in all\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`setup failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
