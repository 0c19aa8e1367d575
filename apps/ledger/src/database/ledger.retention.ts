import { ART_26_6_FLOOR, MIGRATIONS_RETENTION, retentionTable } from '@aal/database';
import { AGGREGATES_RETENTION } from '@aal/service-kit';

const REBUILT = {
  kind: 'rebuilt',
  why: 'a projection of the log, rebuilt from it by `npm run ledger -- rebuild` into a shadow copy (`<table>_rebuild`, there only while a rebuild runs) that is swapped in when complete',
} as const;
const FOR_EVER = 'kept for ever, append-only';

/** The retention of every ledger table (docs/retention.md). The log is kept for ever; only two tables are ever purged. */
export const LEDGER_RETENTION = retentionTable('ledger', {
  entries: {
    kind: 'log',
    why: `${FOR_EVER}: every accepted event, hash-chained; a trigger refuses UPDATE, DELETE and TRUNCATE and the service role holds only SELECT and INSERT`,
  },
  tree_nodes: {
    kind: 'log',
    why: `${FOR_EVER}: the Merkle tree over the entries, from which every inclusion and consistency proof is read`,
  },
  checkpoints: { kind: 'log', why: `${FOR_EVER}: the signed tree heads that witnesses cosign and verifiers trust` },
  cosignatures: { kind: 'log', why: `${FOR_EVER}: witnesses' cosignatures, the evidence that independent parties saw each tree` },
  rejections: {
    kind: 'purged',
    age: 'rejected_at',
    defaultDays: 365,
    floor: ART_26_6_FLOOR,
    subject: "headers->>'ce_subject'",
    why: "the ledger's record of what it refused and why (also on the dead-letter topic); a log of the system's operation, so never below six months, and kept while its subject is under a legal hold",
  },
  outbox: {
    kind: 'purged',
    age: 'published_at',
    // Only once the case event is in the log itself: the outbox row is then a copy.
    eligible:
      "published_at IS NOT NULL AND EXISTS (SELECT 1 FROM ledger.entries e WHERE e.source = outbox.headers->>'ce_source' AND e.event_id = outbox.event_id::text)",
    defaultDays: 30,
    subject: "headers->>'ce_subject'",
    why: "the ledger's own case and mandate events on their way to its topic; a row is a copy once the event is an entry of the log, and is kept while its case is under a legal hold",
  },
  consumer_positions: { kind: 'kept', why: 'where the intake has read each Kafka partition to, committed with the entries it covers' },
  aggregates: AGGREGATES_RETENTION,
  facts: REBUILT,
  projection_positions: REBUILT,
  oversight_outputs: REBUILT,
  oversight_actions: REBUILT,
  oversight_incidents: REBUILT,
  oversight_pending: REBUILT,
  oversight_people: REBUILT,
  oversight_cells: REBUILT,
  oversight_weeks: REBUILT,
  schema_migrations: MIGRATIONS_RETENTION,
});
