import { buildEvent, latestDefinition, type CloudEvent } from '@aal/contracts';
import type { DomainEvent } from '@aal/domain';
import type { EventSigningKey } from '@aal/ledger-core';
import { appendToOutbox, outboxHistory } from '@aal/outbox';
import type { DataSource, EntityManager } from 'typeorm';

/** The aggregate table's retention (docs/retention.md). */
export const AGGREGATES_RETENTION = {
  kind: 'kept',
  why: 'the current state of each aggregate, which every command is decided against; one row per aggregate, overwritten, never deleted',
} as const;

/**
 * DDL for a producing service's aggregate table: each aggregate's current state as one JSON
 * document with a version number. History is not kept here but in the outbox (every event the
 * aggregate ever emitted, in order) and, durably, in the ledger.
 */
export function aggregateMigrationSql(schema: string, appRole: string): string[] {
  return [
    `CREATE TABLE ${schema}.aggregates (
       aggregate_type text NOT NULL,
       aggregate_id text NOT NULL,
       organisation_id text NOT NULL,
       state jsonb NOT NULL,
       version integer NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (aggregate_type, aggregate_id)
     )`,
    `CREATE INDEX aggregates_by_organisation ON ${schema}.aggregates (aggregate_type, organisation_id, created_at)`,
    `GRANT SELECT, INSERT, UPDATE ON ${schema}.aggregates TO ${appRole}`,
  ];
}

export interface StoredAggregate<S> {
  readonly state: S;
  readonly version: number;
  readonly organisationId: string;
}

/** An aggregate named by its type and id (its CloudEvent subject is `type/id`). */
export interface AggregateKey {
  readonly type: string;
  readonly id: string;
}

export interface EventStamp {
  /** Source URI of this service instance, e.g. `/aal/model-registry/host-1`. */
  readonly source: string;
  readonly newId: () => string;
  /** The service's own event signing key: every event is signed as it is written to the outbox. */
  readonly signingKey: EventSigningKey;
}

/**
 * Reads of aggregates and their histories through one EntityManager: the data source's (each read
 * on its own), or an open transaction's, which then sees the transaction's own writes.
 */
class AggregateReads {
  constructor(
    protected readonly readManager: EntityManager,
    protected readonly schema: string,
  ) {}

  find<S>(type: string, id: string): Promise<StoredAggregate<S> | null> {
    return findAggregate<S>(this.readManager, this.schema, type, id, false);
  }

  /** Every event emitted about `subject`, oldest first: the aggregate's full history. */
  history(subject: string): Promise<CloudEvent<unknown>[]> {
    return outboxHistory(this.readManager, this.schema, subject);
  }
}

/** Loads and saves aggregates and emits their events, all in one PostgreSQL transaction. */
export class AggregateStore extends AggregateReads {
  constructor(
    private readonly dataSource: DataSource,
    schema: string,
    private readonly topic: string,
    private readonly stamp: EventStamp,
  ) {
    super(dataSource.manager, schema);
  }

  transact<T>(work: (tx: AggregateTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new AggregateTransaction(manager, this.schema, this.topic, this.stamp)));
  }

  async list<S>(
    type: string,
    filter: { organisationId?: string; limit: number; offset: number },
  ): Promise<Array<{ id: string } & StoredAggregate<S>>> {
    const rows: Array<{ aggregate_id: string; state: S; version: number; organisation_id: string }> = await this.dataSource.query(
      `SELECT aggregate_id, state, version, organisation_id FROM ${this.schema}.aggregates
        WHERE aggregate_type = $1 AND ($2::text IS NULL OR organisation_id = $2)
        ORDER BY created_at, aggregate_id LIMIT $3 OFFSET $4`,
      [type, filter.organisationId ?? null, filter.limit, filter.offset],
    );
    return rows.map((r) => ({ id: r.aggregate_id, state: r.state, version: r.version, organisationId: r.organisation_id }));
  }
}

/**
 * `value` with every object's keys in the order PostgreSQL's jsonb keeps them (shorter keys
 * first, then bytewise): a state in hand shaped like the same state read back from the store, so
 * an answer built from either is byte-identical.
 */
export function inStoredOrder<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => inStoredOrder(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const keyBytes = (key: string) => Buffer.from(key, 'utf8');
  const entries = Object.entries(value).sort(
    ([a], [b]) => keyBytes(a).length - keyBytes(b).length || Buffer.compare(keyBytes(a), keyBytes(b)),
  );
  return Object.fromEntries(entries.map(([key, item]) => [key, inStoredOrder(item)])) as T;
}

async function findAggregate<S>(
  manager: EntityManager,
  schema: string,
  type: string,
  id: string,
  lock: boolean,
): Promise<StoredAggregate<S> | null> {
  const rows: Array<{ state: S; version: number; organisation_id: string }> = await manager.query(
    `SELECT state, version, organisation_id FROM ${schema}.aggregates WHERE aggregate_type = $1 AND aggregate_id = $2 ${lock ? 'FOR UPDATE' : ''}`,
    [type, id],
  );
  const row = rows[0];
  return row ? { state: row.state, version: row.version, organisationId: row.organisation_id } : null;
}

/** One open transaction over the aggregates and the outbox; reads through it see its own writes. */
export class AggregateTransaction extends AggregateReads {
  constructor(
    readonly manager: EntityManager,
    schema: string,
    private readonly topic: string,
    private readonly stamp: EventStamp,
  ) {
    super(manager, schema);
  }

  /**
   * Loads and locks an aggregate for the rest of the transaction. The lock serialises writers of
   * one aggregate, so its outbox rows are numbered in commit order and reach Kafka in order.
   */
  load<S>(type: string, id: string): Promise<StoredAggregate<S> | null> {
    return findAggregate<S>(this.manager, this.schema, type, id, true);
  }

  /**
   * Those of `keys` that are stored, read in one query; with `lock`, locked like `load`, in one
   * fixed order (type, id), so two transactions locking overlapping sets cannot deadlock.
   */
  async loadAll<S>(keys: readonly AggregateKey[], options: { lock: boolean }): Promise<Array<AggregateKey & StoredAggregate<S>>> {
    if (keys.length === 0) return [];
    const rows: Array<{ aggregate_type: string; aggregate_id: string; state: S; version: number; organisation_id: string }> =
      await this.manager.query(
        `SELECT aggregate_type, aggregate_id, state, version, organisation_id FROM ${this.schema}.aggregates
        WHERE (aggregate_type, aggregate_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        ORDER BY aggregate_type, aggregate_id ${options.lock ? 'FOR UPDATE' : ''}`,
        [keys.map((k) => k.type), keys.map((k) => k.id)],
      );
    return rows.map((r) => ({
      type: r.aggregate_type,
      id: r.aggregate_id,
      state: r.state,
      version: r.version,
      organisationId: r.organisation_id,
    }));
  }

  /** Inserts (previous === null) or replaces an aggregate's state; answers the version saved. */
  async save<S>(type: string, id: string, organisationId: string, state: S, previous: StoredAggregate<S> | null): Promise<number> {
    const [version] = await this.saveAll([{ type, id, organisationId, state, previous }]);
    return version!;
  }

  /**
   * `save` for several aggregates in at most two statements (one INSERT of the new, one UPDATE of
   * the stored): a batch of reports costs two round trips, not one per aggregate. Answers the
   * version saved of each, in order.
   */
  async saveAll<S>(
    aggregates: ReadonlyArray<AggregateKey & { organisationId: string; state: S; previous: StoredAggregate<S> | null }>,
  ): Promise<number[]> {
    const fresh = aggregates.filter((a) => a.previous === null);
    const stored = aggregates.filter((a) => a.previous !== null);
    if (fresh.length > 0) {
      await this.manager.query(
        `INSERT INTO ${this.schema}.aggregates (aggregate_type, aggregate_id, organisation_id, state, version)
         SELECT t, i, o, s, 1 FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[]) AS a(t, i, o, s)`,
        [fresh.map((a) => a.type), fresh.map((a) => a.id), fresh.map((a) => a.organisationId), fresh.map((a) => JSON.stringify(a.state))],
      );
    }
    if (stored.length > 0) {
      // The rows are locked by `load`/`loadAll`, so each `previous.version` is the stored one.
      await this.manager.query(
        `UPDATE ${this.schema}.aggregates g SET state = a.s, version = g.version + 1, updated_at = now()
           FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS a(t, i, s)
          WHERE g.aggregate_type = a.t AND g.aggregate_id = a.i`,
        [stored.map((a) => a.type), stored.map((a) => a.id), stored.map((a) => JSON.stringify(a.state))],
      );
    }
    return aggregates.map((a) => (a.previous === null ? 1 : a.previous.version + 1));
  }

  /** Validates each event against its contract and writes it to the outbox. */
  async emit(events: readonly DomainEvent[], time: string): Promise<CloudEvent<unknown>[]> {
    const [built] = await this.emitAll([{ events, time }]);
    return built!;
  }

  /**
   * `emit` for several lists of events, each with its own time, written to the outbox in the
   * order given by one append (one INSERT, one signature pass); answers the CloudEvents per list.
   */
  async emitAll(lists: ReadonlyArray<{ events: readonly DomainEvent[]; time: string }>): Promise<CloudEvent<unknown>[][]> {
    const built = lists.map(({ events, time }) =>
      events.map((e) => buildEvent(latestDefinition(e.name), e.data as never, { id: this.stamp.newId(), source: this.stamp.source, time })),
    );
    await appendToOutbox(this.manager, this.schema, this.topic, built.flat(), this.stamp.signingKey);
    return built;
  }
}
