import { subjectOf } from '@aal/contracts';
import { MIGRATIONS_RETENTION, retentionTable, roleNames, serviceSchema, urlForRole } from '@aal/database';
import { assertNever, type Decider, type DomainEvent, type Occurred } from '@aal/domain';
import { OUTBOX_RETENTION, outboxMigrationSql } from '@aal/outbox';
import { createTestDatabase, testEventSigningKey, type TestDatabase } from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { AGGREGATES_RETENTION, aggregateMigrationSql, AggregateStore, inStoredOrder } from './aggregate-store';
import { runDecider } from './run-decider';

const SCHEMA = 'store_probe';
const vendor = { organisationId: 'acme-ai', personId: 'psn_acmeadmin001', role: 'vendor-admin' };

class StoreTables implements MigrationInterface {
  name = 'StoreTables1732500000000';
  async up(q: QueryRunner) {
    const { appRole } = roleNames(SCHEMA);
    for (const sql of [...aggregateMigrationSql(SCHEMA, appRole), ...outboxMigrationSql(SCHEMA, appRole)]) await q.query(sql);
  }
  async down() {}
}

/** A minimal decider over a real catalogue event, so `emit` validates and signs as in a service. */
type Register = { kind: 'Register'; modelId: string; name: string } & Occurred;
type Registered = DomainEvent<'model.registered', Record<string, unknown>>;
type State = { registered: boolean };
const decider: Decider<Register, State, Registered> = {
  initialState: { registered: false },
  decide(command, state) {
    switch (command.kind) {
      case 'Register': {
        if (state.registered) return [];
        const data = {
          modelId: command.modelId,
          vendorId: vendor.organisationId,
          name: command.name,
          intendedPurpose: 'x',
          riskClass: 'uk-mdr-class-i',
          manufacturerSafetyOfficer: 'psn_acmecso00001',
          actor: vendor,
        };
        return [{ name: 'model.registered', data }];
      }
      default:
        return assertNever(command.kind);
    }
  },
  evolve: () => ({ registered: true }),
};

describe('AggregateStore and runDecider against real PostgreSQL', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let store: AggregateStore;
  const occurredAt = '2025-01-10T09:00:00.000Z';
  const register = (modelId: string): Register => ({ kind: 'Register', modelId, name: 'SepsisWatch', occurredAt });
  const target = (id: string) => ({ type: 'model', id, organisationId: vendor.organisationId });

  beforeAll(async () => {
    db = await createTestDatabase([
      serviceSchema(
        SCHEMA,
        [StoreTables],
        retentionTable(SCHEMA, { aggregates: AGGREGATES_RETENTION, outbox: OUTBOX_RETENTION, schema_migrations: MIGRATIONS_RETENTION }),
      ),
    ]);
    dataSource = await new DataSource({
      type: 'postgres',
      url: urlForRole(db.adminUrl, roleNames(SCHEMA).appRole, db.settings.appPassword),
    }).initialize();
    store = new AggregateStore(dataSource, SCHEMA, 'aal.test.events', {
      source: '/aal/model-registry/test',
      newId: randomUUID,
      signingKey: testEventSigningKey('model-registry'),
    });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('given the store, when a command decides events, then it commits them in a transaction of its own, stamped with occurredAt', async () => {
    const id = randomUUID();
    const run = await runDecider(store, decider, target(id), register(id));
    expect(run).toMatchObject({ state: { registered: true }, version: 1, events: [{ name: 'model.registered' }] });
    expect(await store.find('model', id)).toEqual({ state: { registered: true }, version: 1, organisationId: vendor.organisationId });
    expect((await store.history(subjectOf('model', id))).map((e) => e.time)).toEqual([occurredAt]);
    // A retry decides nothing: the version stays.
    expect(await runDecider(store, decider, target(id), register(id))).toMatchObject({ events: [], version: 1 });
  });

  it('given an open transaction, when a command runs in it, then its reads see the write at once and others only after the commit', async () => {
    const id = randomUUID();
    await store.transact(async (tx) => {
      await runDecider(tx, decider, target(id), register(id));
      expect(await tx.find('model', id)).toMatchObject({ version: 1 });
      expect(await tx.history(subjectOf('model', id))).toHaveLength(1);
      expect(
        await tx.loadAll(
          [
            { type: 'model', id },
            { type: 'model', id: randomUUID() },
          ],
          { lock: true },
        ),
      ).toEqual([{ type: 'model', id, state: { registered: true }, version: 1, organisationId: vendor.organisationId }]);
      expect(await store.find('model', id)).toBeNull();
    });
    expect(await store.find('model', id)).toMatchObject({ version: 1 });
  });

  it('given an open transaction, when a later step of the caller fails, then the command wrote nothing', async () => {
    const id = randomUUID();
    await expect(
      store.transact(async (tx) => {
        await runDecider(tx, decider, target(id), register(id));
        throw new Error('a later step failed');
      }),
    ).rejects.toThrow('a later step failed');
    expect(await store.find('model', id)).toBeNull();
    expect(await store.history(subjectOf('model', id))).toEqual([]);
  });

  it('puts a state in hand in the key order jsonb gives it back in, at every depth', async () => {
    const state = {
      presentations: [{ professional: { personId: 'psn_a', role: 'staff-nurse' }, site: 'ward-7', occurredAt: '2025-01-10T09:00:00Z' }],
      zz: 1,
      ab: { é: true, e: null, ea: [{ b: 2, a: 1 }] },
      aa: 'x',
      status: 'generated',
    };
    const [{ stored }] = await dataSource.query(`SELECT $1::jsonb AS stored`, [JSON.stringify(state)]);
    expect(JSON.stringify(inStoredOrder(state))).toBe(JSON.stringify(stored));
    expect(JSON.stringify(inStoredOrder(state))).not.toBe(JSON.stringify(state));
  });
});
