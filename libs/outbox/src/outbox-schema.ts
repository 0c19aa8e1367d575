/**
 * DDL for a service's transactional outbox, shared by every producing service's migration.
 * The service role may insert rows and mark them published, nothing else.
 */
export function outboxMigrationSql(schema: string, appRole: string): string[] {
  const channel = outboxChannel(schema);
  return [
    `CREATE TABLE ${schema}.outbox (
       id bigserial PRIMARY KEY,
       event_id uuid NOT NULL UNIQUE,
       topic text NOT NULL,
       message_key text NOT NULL,
       headers jsonb NOT NULL,
       payload text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       published_at timestamptz
     )`,
    `CREATE INDEX outbox_unpublished ON ${schema}.outbox (id) WHERE published_at IS NULL`,
    `CREATE FUNCTION ${schema}.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN PERFORM pg_notify('${channel}', ''); RETURN NULL; END $$`,
    `CREATE TRIGGER outbox_notify AFTER INSERT ON ${schema}.outbox
       FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.outbox_notify()`,
    `GRANT SELECT, INSERT ON ${schema}.outbox TO ${appRole}`,
    `GRANT UPDATE (published_at) ON ${schema}.outbox TO ${appRole}`,
    `GRANT USAGE ON SEQUENCE ${schema}.outbox_id_seq TO ${appRole}`,
  ];
}

/** LISTEN/NOTIFY channel on which inserts into the outbox wake the relay. */
export function outboxChannel(schema: string): string {
  return `${schema}_outbox`;
}

/**
 * A producing service's outbox is kept (docs/retention.md): it is the service's own event history,
 * which its read routes answer from (outboxHistory), not only a queue.
 */
export const OUTBOX_RETENTION = {
  kind: 'kept',
  why: "every event the service emitted, oldest first: its read routes answer each record's history from it (outboxHistory); the ledger holds the same events for ever",
} as const;
