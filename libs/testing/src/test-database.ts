import { dropDatabase, ensureDatabase, provisionSchema, withDatabase, type DatabaseSettings, type ServiceSchema } from '@aal/database';
import { randomBytes } from 'node:crypto';

export interface TestDatabase {
  readonly settings: DatabaseSettings;
  readonly adminUrl: string;
  drop(): Promise<void>;
}

/**
 * A fresh, uniquely named database with the given services' schemas migrated, dropped at the end,
 * so no test depends on what another left behind.
 */
export async function createTestDatabase(schemas: readonly ServiceSchema[]): Promise<TestDatabase> {
  const server = process.env['DATABASE_URL'];
  if (!server) throw new Error('DATABASE_URL is not set; run tests through jest (global setup sets it)');
  const adminUrl = withDatabase(server, `aal_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`);
  const settings: DatabaseSettings = { adminUrl, appPassword: 'aal-test-only' };
  await ensureDatabase(adminUrl);
  for (const schema of schemas) await provisionSchema(adminUrl, schema, settings.appPassword);
  return { settings, adminUrl, drop: () => dropDatabase(adminUrl) };
}
