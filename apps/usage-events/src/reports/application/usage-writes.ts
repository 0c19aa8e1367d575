import { subjectOf, type CloudEvent } from '@aal/contracts';
import type { OccurredEvent } from '@aal/domain';
import { AggregateStore, type AggregateTransaction } from '@aal/service-kit';
import { Injectable } from '@nestjs/common';
import { USAGE_EVENTS_SCHEMA } from '../../database/usage-events.schema';
import { knownDeployments } from '../../deployment-directory/infrastructure/deployment-directory.read-model';
import { idempotencyErrors } from '../../idempotency/domain/idempotency.errors';
import { replayFor, type IdempotentRequest, type StoredResponse, type WriteResult } from '../../idempotency/domain/idempotent-request';
import { foldReports, type ReportRefusal } from '../domain/fold-reports';
import { deploymentsNamed, OUTPUT_AGGREGATE, outputsNamedByIncidents, targetOf, type AggregateRef, type Report } from '../domain/report';

const SCHEMA = USAGE_EVENTS_SCHEMA.schema;
const UNIQUE_VIOLATION = '23505';

/** One applied report: the subject it was recorded under and the CloudEvents it emitted (none for a retry). */
export interface AppliedReport {
  readonly subject: string;
  /** The events as the domain decided them, beside the CloudEvents written to the outbox. */
  readonly decided: readonly OccurredEvent<string, unknown>[];
  readonly events: readonly CloudEvent<unknown>[];
  /**
   * The aggregate's state and stored version after the whole list: what a response shows, taken
   * from the fold in hand rather than read again (the deciders already checked access to it).
   */
  readonly state: unknown;
  readonly revision: number;
}

/** Some reports of a list were refused; nothing of the list was written. */
export class ReportsRefused extends Error {
  constructor(readonly refusals: readonly ReportRefusal[]) {
    super(`${refusals.length} report(s) refused`);
    this.name = 'ReportsRefused';
  }
}

/** What a write may do inside its transaction. */
export interface WriteTransaction {
  /**
   * Decides and records `reports` in order: each aggregate is locked and loaded once, the reports
   * are folded through their deciders, each changed aggregate is saved once, and the events go
   * to the outbox in report order (so per-aggregate order on Kafka follows the list).
   * @throws ReportsRefused listing every refused report; nothing is written then.
   */
  apply(reports: readonly Report[]): Promise<AppliedReport[]>;
  /** `apply` for one report, re-throwing its DomainError when refused. */
  applyOne(report: Report): Promise<AppliedReport>;
  /** Every event emitted about `subject`, oldest first, this transaction's own included. */
  history(subject: string): Promise<CloudEvent<unknown>[]>;
}

/** TypeORM's QueryFailedError carries the PostgreSQL SQLSTATE as `code` (and on `driverError`). */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } } | null;
  return e?.code === UNIQUE_VIOLATION || e?.driverError?.code === UNIQUE_VIOLATION;
}

/**
 * The one write path of usage-events: every POST runs its reports and builds its response in one
 * PostgreSQL transaction, and when the request carries an Idempotency-Key, the key's row (with
 * the response) is inserted in that same transaction. So the events and the stored response
 * commit together or not at all: a crash can never leave a replayable response without its
 * events, nor events whose response a retry cannot replay.
 */
@Injectable()
export class UsageWrites {
  constructor(private readonly store: AggregateStore) {}

  /**
   * Runs `work` once per request. With a key: a concurrent request holding the same key gets
   * IDEMPOTENCY.IN_PROGRESS (409); a finished one with the same fingerprint is replayed; one with
   * another fingerprint gets IDEMPOTENCY.KEY_REUSED (422). Only successful responses are stored:
   * a refused request stores nothing, so it may be corrected and retried under the same key.
   */
  async write(
    idempotency: IdempotentRequest | undefined,
    work: (tx: WriteTransaction) => Promise<{ status: number; body: unknown }>,
  ): Promise<WriteResult> {
    const attempt = () => this.store.transact((tx) => this.inTransaction(tx, idempotency, work));
    try {
      return await attempt();
    } catch (err) {
      // Ids of outputs are chosen by clinical systems, so two requests can race to create the
      // same aggregate: there is no row to lock yet and the loser's insert hits the primary key.
      // Running again sees the winner's row: a retry (no events) or a refusal.
      if (isUniqueViolation(err)) return attempt();
      throw err;
    }
  }

  private async inTransaction(
    tx: AggregateTransaction,
    idempotency: IdempotentRequest | undefined,
    work: (tx: WriteTransaction) => Promise<{ status: number; body: unknown }>,
  ): Promise<WriteResult> {
    const m = tx.manager;
    if (idempotency) {
      // Held until this transaction ends: a duplicate arriving meanwhile is told to come back,
      // and one arriving after the commit finds the stored response below.
      const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`, [
        `usage_events.idempotency_keys\n${idempotency.organisationId}\n${idempotency.key}`,
      ]);
      if (!locked) throw idempotencyErrors.inProgress(idempotency.key);
      const rows: Array<{ request_hash: string; response_status: number; response_body: string }> = await m.query(
        `SELECT request_hash, response_status, response_body FROM ${SCHEMA}.idempotency_keys WHERE organisation_id = $1 AND idempotency_key = $2`,
        [idempotency.organisationId, idempotency.key],
      );
      const row = rows[0];
      if (row) {
        const stored = replayFor(idempotency, {
          fingerprint: row.request_hash,
          response: { status: row.response_status, body: row.response_body },
        });
        return { ...stored, replayed: true };
      }
    }
    const result = await work(this.writeTransaction(tx));
    const response: StoredResponse = { status: result.status, body: JSON.stringify(result.body) };
    if (idempotency) {
      await m.query(
        `INSERT INTO ${SCHEMA}.idempotency_keys (organisation_id, idempotency_key, request_hash, response_status, response_body) VALUES ($1, $2, $3, $4, $5)`,
        [idempotency.organisationId, idempotency.key, idempotency.fingerprint, response.status, response.body],
      );
    }
    return { ...response, replayed: false };
  }

  private writeTransaction(tx: AggregateTransaction): WriteTransaction {
    const apply = (reports: readonly Report[]) => applyReports(tx, reports);
    return {
      apply,
      history: (subject) => tx.history(subject),
      applyOne: async (report) => {
        try {
          const [applied] = await apply([report]);
          return applied!;
        } catch (err) {
          if (err instanceof ReportsRefused) throw err.refusals[0]!.error;
          throw err;
        }
      },
    };
  }
}

/** Which organisation reported each of these outputs, for those this service has recorded. */
async function ownersOfOutputs(tx: AggregateTransaction, outputIds: readonly string[]): Promise<Map<string, string>> {
  const found = await tx.loadAll(
    [...new Set(outputIds)].map((id) => ({ type: OUTPUT_AGGREGATE, id })),
    { lock: false },
  );
  return new Map(found.map((r) => [r.id, r.organisationId]));
}

async function applyReports(tx: AggregateTransaction, reports: readonly Report[]): Promise<AppliedReport[]> {
  // A subject is the aggregate's key in these maps, its CloudEvent subject and its Kafka key.
  const targets = [...new Map(reports.map((r) => targetOf(r)).map((t) => [subjectOf(t.type, t.id), t])).values()];
  // Every aggregate the list touches, locked at once: the locks serialise their writers, so outbox ids follow commit order.
  // The store answers with the keys it was asked for, so each row's type is a target's.
  const stored = new Map(
    (await tx.loadAll(targets, { lock: true })).map(({ type, id, ...found }) => [subjectOf(type as AggregateRef['type'], id), found]),
  );
  // Access first: which employer each named deployment belongs to decides whether its outputs may be reported.
  const deployments = await knownDeployments(tx.manager, deploymentsNamed(reports));
  const outputOwners = await ownersOfOutputs(tx, outputsNamedByIncidents(reports));
  const outcome = foldReports(reports, new Map([...stored].map(([subject, found]) => [subject, found.state])), deployments, outputOwners);
  if (!outcome.ok) throw new ReportsRefused(outcome.refusals);
  // One statement per kind of write for the whole list, not one per aggregate or report.
  const saved = outcome.aggregates.filter((a) => a.changed);
  const versions = await tx.saveAll(
    saved.map(({ target, state }) => {
      const previous = stored.get(subjectOf(target.type, target.id)) ?? null;
      return { type: target.type, id: target.id, organisationId: previous?.organisationId ?? target.organisationId, state, previous };
    }),
  );
  const revisions = new Map(saved.map((a, i) => [subjectOf(a.target.type, a.target.id), versions[i]!]));
  const after = new Map<string, { state: unknown; revision: number }>();
  for (const { target, state } of outcome.aggregates) {
    const subject = subjectOf(target.type, target.id);
    after.set(subject, { state, revision: revisions.get(subject) ?? stored.get(subject)?.version ?? 0 });
  }
  // A report's events share its time: when the fact happened, as reported (the CloudEvent `time`).
  const emitted = await tx.emitAll(outcome.reports.map((report) => ({ events: report.events, time: report.events[0]?.occurredAt ?? '' })));
  const applied: AppliedReport[] = outcome.reports.map((report, i) => ({
    subject: report.subject,
    decided: report.events,
    events: emitted[i]!,
    ...after.get(report.subject)!,
  }));
  return applied;
}
