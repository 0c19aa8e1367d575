import { databaseName, databaseSettingsFromEnv, ensureDatabase, provisionSchema } from '@aal/database';
import { createKafka, ensureTopics, kafkaSettingsFromEnv, systemTopicSpecs } from '@aal/kafka';
import { ALL_SCHEMAS } from './service-schemas';

const PARTS = ['database', 'topics'] as const;
type Part = (typeof PARTS)[number];

/**
 * Prepares a PostgreSQL database and a Kafka cluster for the services: creates the database,
 * the owner and login roles and schemas, runs every migration as the owner role, and creates the
 * topics explicitly. Idempotent; `npm run stack:up` runs it before starting the services.
 * Arguments name the parts to do (`database`, `topics`; both when none): `npm run db:migrate` and
 * the Helm chart's migration Job, when Strimzi makes the topics, do the database only.
 */
async function main(parts: readonly Part[]): Promise<void> {
  if (parts.includes('database')) {
    const database = databaseSettingsFromEnv();
    await ensureDatabase(database.adminUrl);
    for (const schema of ALL_SCHEMAS) {
      await provisionSchema(database.adminUrl, schema, database.appPassword);
    }
    process.stdout.write(`database ${databaseName(database.adminUrl)}: ${ALL_SCHEMAS.map((s) => s.schema).join(', ')} migrated\n`);
  }
  if (parts.includes('topics')) {
    const kafkaSettings = kafkaSettingsFromEnv('aal-setup');
    const created = await ensureTopics(createKafka(kafkaSettings), systemTopicSpecs(kafkaSettings));
    process.stdout.write(
      `kafka ${kafkaSettings.brokers.join(',')}: ${created.length} topic(s) created, ${systemTopicSpecs(kafkaSettings).length} in all\n`,
    );
  }
}

function partsFrom(args: readonly string[]): Part[] {
  const unknown = args.filter((a) => !(PARTS as readonly string[]).includes(a));
  if (unknown.length > 0) throw new Error(`unknown part(s) ${unknown.join(', ')}: expected ${PARTS.join(' and/or ')}`);
  return args.length === 0 ? [...PARTS] : (args as Part[]);
}

Promise.resolve()
  .then(() => main(partsFrom(process.argv.slice(2))))
  .catch((err: unknown) => {
    process.stderr.write(`setup failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
