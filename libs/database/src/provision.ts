import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { databaseName, withDatabase } from './database-settings';
import type { ServiceSchema } from './service-schema';

const DUPLICATE_OBJECT = '42710';
const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe SQL identifier: ${name}`);
  return `"${name}"`;
}

/** Creates the database named in `adminUrl` when it does not exist. Safe to run concurrently. */
export async function ensureDatabase(adminUrl: string): Promise<void> {
  const name = databaseName(adminUrl);
  const client = new Client({ connectionString: withDatabase(adminUrl, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${ident(name)}`).catch((err: { code?: string }) => {
        if (err.code !== DUPLICATE_DATABASE && err.code !== UNIQUE_VIOLATION) throw err;
      });
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: withDatabase(adminUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${ident(databaseName(adminUrl))} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function ensureRole(client: Client, role: string, login: string): Promise<void> {
  // Roles are cluster-wide: several test databases provision the same roles at once.
  try {
    await client.query(`CREATE ROLE ${ident(role)} ${login}`);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== DUPLICATE_OBJECT && code !== UNIQUE_VIOLATION) throw err;
  }
}

/** Roles are cluster-wide, advisory locks per database: role changes are serialised in `postgres`. */
const ROLE_LOCK_KEY = 7_316_002;

async function ensureRoles(adminUrl: string, service: ServiceSchema, appPassword: string): Promise<void> {
  const client = new Client({ connectionString: withDatabase(adminUrl, 'postgres') });
  await client.connect();
  try {
    // Concurrent ALTER ROLE on one role fails with "tuple concurrently updated" (several test
    // databases are provisioned at once), so everyone takes the same lock first.
    await client.query('SELECT pg_advisory_lock($1)', [ROLE_LOCK_KEY]);
    await ensureRole(client, service.ownerRole, 'NOLOGIN');
    await ensureRole(client, service.appRole, 'LOGIN');
    await client.query(`ALTER ROLE ${ident(service.appRole)} WITH LOGIN PASSWORD '${appPassword.replace(/'/g, "''")}'`);
    // Lets the administrative user SET ROLE to the owner to run migrations.
    await client.query(`GRANT ${ident(service.ownerRole)} TO CURRENT_USER`).catch(() => undefined);
    await client.query('SELECT pg_advisory_unlock($1)', [ROLE_LOCK_KEY]);
  } finally {
    await client.end();
  }
}

/**
 * Provisions one service's schema in the database of `adminUrl` and runs its TypeORM migrations
 * as the owner role, so the tables belong to the owner and never to the service's login role.
 */
export async function provisionSchema(adminUrl: string, service: ServiceSchema, appPassword: string): Promise<void> {
  await ensureRoles(adminUrl, service, appPassword);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(service.schema)} AUTHORIZATION ${ident(service.ownerRole)}`);
    await client.query(`GRANT USAGE ON SCHEMA ${ident(service.schema)} TO ${ident(service.appRole)}`);
    await client.query(`REVOKE CREATE ON SCHEMA ${ident(service.schema)} FROM ${ident(service.appRole)}`);
  } finally {
    await client.end();
  }
  await runMigrations(adminUrl, service);
}

async function runMigrations(adminUrl: string, service: ServiceSchema): Promise<void> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: adminUrl,
    schema: service.schema,
    migrations: [...service.migrations],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    // Every object a migration creates belongs to the owner role.
    extra: { options: `-c role=${service.ownerRole} -c search_path=${service.schema}` },
    logging: false,
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}
