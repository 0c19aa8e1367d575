import { utcDay, type OversightAction, type OversightIncident, type OversightOutput } from '@aal/accountability';
import type { EntityManager } from 'typeorm';
import type { OutputRef, OversightPagePlan, PendingEntry } from '../domain/oversight-page';

export const OVERSIGHT_PROJECTION = 'oversight';

/** A stored cell: the counts of one deployment, day, site and role learnt of on `knownDay`. */
export interface StoredCell {
  readonly day: string;
  readonly site: string;
  readonly role: string;
  readonly outputs: number;
  readonly actions: number;
  readonly accepted: number;
  readonly overridden: number;
  readonly review: number[];
}

/** A cell's distinct professional (the cell's day, site and role). */
export interface StoredProfessional {
  readonly day: string;
  readonly site: string;
  readonly role: string;
  readonly personId: string;
}

/**
 * Which part of the projection a read takes. Whole days come from the cells: days before `asOfDay`
 * (when given) learnt of before `knownDay` (when given). The two clocks' own days come entry by
 * entry (`slice`), since only there do times within the day decide.
 */
export interface OversightRange {
  readonly deploymentId: string;
  /** First day, included. */
  readonly fromDay: string;
  /** Day after the last, excluded. */
  readonly toDay: string;
  readonly site?: string;
  readonly role?: string;
  readonly asOf?: string;
  readonly knownAt?: { readonly seq: number; readonly recordedAt: string };
}

const dayText = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));
const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : new Date(String(d)).toISOString());

/** SQL conditions and parameters for a range, for tables with `day` and `known_day`. */
function whole(range: OversightRange, params: unknown[]): string {
  params.push(range.deploymentId, range.fromDay, range.toDay);
  const where = ['deployment_id = $1', 'day >= $2', 'day < $3'];
  if (range.site !== undefined) where.push(`site = $${params.push(range.site)}`);
  if (range.asOf !== undefined) where.push(`day < $${params.push(utcDay(range.asOf))}`);
  if (range.knownAt !== undefined) where.push(`known_day < $${params.push(utcDay(range.knownAt.recordedAt))}`);
  return where.join(' AND ');
}

/**
 * The oversight projection's tables (migration 1734500000001-oversight). Every method takes the
 * EntityManager of the caller's transaction: the projector applies a page in one, a rebuild the
 * whole log in one, and a read takes its cells, slices and position from one snapshot.
 */
export class OversightRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The next seq the projection will apply. */
  async position(): Promise<number> {
    const rows: Array<{ next_seq: string }> = await this.manager.query(
      'SELECT next_seq FROM ledger.projection_positions WHERE projection = $1',
      [OVERSIGHT_PROJECTION],
    );
    return rows[0] ? Number(rows[0].next_seq) : 0;
  }

  /** The position, locked until the transaction ends, so two appliers never apply the same page. */
  async lockPosition(): Promise<number> {
    await this.manager.query(
      'INSERT INTO ledger.projection_positions (projection, next_seq) VALUES ($1, 0) ON CONFLICT (projection) DO NOTHING',
      [OVERSIGHT_PROJECTION],
    );
    const rows: Array<{ next_seq: string }> = await this.manager.query(
      'SELECT next_seq FROM ledger.projection_positions WHERE projection = $1 FOR UPDATE',
      [OVERSIGHT_PROJECTION],
    );
    return Number(rows[0]!.next_seq);
  }

  async outputsNamed(outputIds: readonly string[]): Promise<Map<string, OutputRef>> {
    if (outputIds.length === 0) return new Map();
    const rows: Array<{ output_id: string; seq: string; deployment_id: string; site: string; recorded_at: Date }> =
      await this.manager.query(
        'SELECT output_id, seq, deployment_id, site, recorded_at FROM ledger.oversight_outputs WHERE output_id = ANY($1::text[])',
        [outputIds],
      );
    return new Map(
      rows.map((r) => [r.output_id, { seq: Number(r.seq), deploymentId: r.deployment_id, site: r.site, recordedAt: iso(r.recorded_at) }]),
    );
  }

  async pendingFor(outputIds: readonly string[]): Promise<PendingEntry[]> {
    if (outputIds.length === 0) return [];
    const rows: Array<{ output_id: string; seq: string }> = await this.manager.query(
      'SELECT output_id, seq FROM ledger.oversight_pending WHERE output_id = ANY($1::text[]) ORDER BY seq',
      [outputIds],
    );
    return rows.map((r) => ({ outputId: r.output_id, seq: Number(r.seq) }));
  }

  /** Stores a page's plan and its cells, and moves the position to `nextSeq`. */
  async store(
    plan: OversightPagePlan,
    cells: ReadonlyArray<StoredCell & { deploymentId: string; knownDay: string; professionals: readonly string[] }>,
    nextSeq: number,
  ): Promise<void> {
    const m = this.manager;
    const json = (rows: unknown[]) => JSON.stringify(rows);
    if (plan.outputs.length > 0)
      await m.query(
        `INSERT INTO ledger.oversight_outputs (output_id, deployment_id, site, seq, time, day, recorded_at, known_day)
         SELECT r.output_id, r.deployment_id, r.site, r.seq, r.time, (r.time AT TIME ZONE 'UTC')::date, r.recorded_at, (r.recorded_at AT TIME ZONE 'UTC')::date
           FROM jsonb_to_recordset($1::jsonb) AS r(output_id text, deployment_id text, site text, seq bigint, time timestamptz, recorded_at timestamptz)
         ON CONFLICT (output_id) DO NOTHING`,
        [
          json(
            plan.outputs.map((o: OversightOutput) => ({
              output_id: o.outputId,
              deployment_id: o.deploymentId,
              site: o.site,
              seq: o.seq,
              time: o.time,
              recorded_at: o.recordedAt,
            })),
          ),
        ],
      );
    if (plan.actions.length > 0)
      await m.query(
        `INSERT INTO ledger.oversight_actions (seq, output_id, deployment_id, site, role, person_id, action, seconds, time, day, known_seq, known_at, known_day)
         SELECT r.seq, r.output_id, r.deployment_id, r.site, r.role, r.person_id, r.action, r.seconds, r.time, (r.time AT TIME ZONE 'UTC')::date,
                r.known_seq, r.known_at, (r.known_at AT TIME ZONE 'UTC')::date
           FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, output_id text, deployment_id text, site text, role text, person_id text,
                action text, seconds integer, time timestamptz, known_seq bigint, known_at timestamptz)
         ON CONFLICT (seq) DO NOTHING`,
        [
          json(
            plan.actions.map((a: OversightAction) => ({
              seq: a.seq,
              output_id: a.outputId,
              deployment_id: a.deploymentId,
              site: a.site,
              role: a.role,
              person_id: a.personId,
              action: a.action,
              seconds: a.seconds,
              time: a.time,
              known_seq: a.knownSeq,
              known_at: a.knownAt,
            })),
          ),
        ],
      );
    if (plan.incidents.length > 0)
      await m.query(
        `INSERT INTO ledger.oversight_incidents (seq, deployment_id, site, incident_id, time, day, known_seq, known_at, known_day)
         SELECT r.seq, r.deployment_id, r.site, r.incident_id, r.time, (r.time AT TIME ZONE 'UTC')::date, r.known_seq, r.known_at, (r.known_at AT TIME ZONE 'UTC')::date
           FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, deployment_id text, site text, incident_id text, time timestamptz, known_seq bigint, known_at timestamptz)
         ON CONFLICT DO NOTHING`,
        [
          json(
            plan.incidents.map((i: OversightIncident) => ({
              seq: i.seq,
              deployment_id: i.deploymentId,
              site: i.site,
              incident_id: i.incidentId,
              time: i.time,
              known_seq: i.knownSeq,
              known_at: i.knownAt,
            })),
          ),
        ],
      );
    if (plan.pending.length > 0)
      await m.query(
        `INSERT INTO ledger.oversight_pending (output_id, seq) SELECT r.output_id, r.seq FROM jsonb_to_recordset($1::jsonb) AS r(output_id text, seq bigint)
         ON CONFLICT DO NOTHING`,
        [json(plan.pending.map((p) => ({ output_id: p.outputId, seq: p.seq })))],
      );
    if (plan.resolved.length > 0)
      await m.query(
        `DELETE FROM ledger.oversight_pending p USING jsonb_to_recordset($1::jsonb) AS r(output_id text, seq bigint)
          WHERE p.output_id = r.output_id AND p.seq = r.seq`,
        [json(plan.resolved.map((p) => ({ output_id: p.outputId, seq: p.seq })))],
      );
    if (cells.length > 0) {
      await m.query(
        `INSERT INTO ledger.oversight_cells AS c (deployment_id, day, site, role, known_day, outputs, actions, accepted, overridden, review)
         SELECT r.deployment_id, r.day, r.site, r.role, r.known_day, r.outputs, r.actions, r.accepted, r.overridden,
                ARRAY(SELECT jsonb_array_elements_text(r.review)::integer)
           FROM jsonb_to_recordset($1::jsonb) AS r(deployment_id text, day date, site text, role text, known_day date,
                outputs integer, actions integer, accepted integer, overridden integer, review jsonb)
         ON CONFLICT (deployment_id, day, site, role, known_day) DO UPDATE SET
           outputs = c.outputs + EXCLUDED.outputs, actions = c.actions + EXCLUDED.actions,
           accepted = c.accepted + EXCLUDED.accepted, overridden = c.overridden + EXCLUDED.overridden,
           review = ledger.oversight_add(c.review, EXCLUDED.review)`,
        [
          json(
            cells.map((c) => ({
              deployment_id: c.deploymentId,
              day: c.day,
              site: c.site,
              role: c.role,
              known_day: c.knownDay,
              outputs: c.outputs,
              actions: c.actions,
              accepted: c.accepted,
              overridden: c.overridden,
              review: c.review,
            })),
          ),
        ],
      );
      const people = cells.flatMap((c) =>
        c.professionals.map((p) => ({
          deployment_id: c.deploymentId,
          day: c.day,
          site: c.site,
          role: c.role,
          known_day: c.knownDay,
          person_id: p,
        })),
      );
      if (people.length > 0)
        await m.query(
          `INSERT INTO ledger.oversight_professionals (deployment_id, day, site, role, known_day, person_id)
           SELECT r.deployment_id, r.day, r.site, r.role, r.known_day, r.person_id
             FROM jsonb_to_recordset($1::jsonb) AS r(deployment_id text, day date, site text, role text, known_day date, person_id text)
           ON CONFLICT DO NOTHING`,
          [json(people)],
        );
    }
    await m.query('UPDATE ledger.projection_positions SET next_seq = GREATEST(next_seq, $2) WHERE projection = $1', [
      OVERSIGHT_PROJECTION,
      nextSeq,
    ]);
  }

  /** Empties the projection; TRUNCATE holds its lock until the caller's transaction ends. */
  async clear(): Promise<void> {
    await this.manager.query(
      'TRUNCATE ledger.oversight_outputs, ledger.oversight_actions, ledger.oversight_incidents, ledger.oversight_pending, ledger.oversight_cells, ledger.oversight_professionals',
    );
    await this.manager.query('DELETE FROM ledger.projection_positions WHERE projection = $1', [OVERSIGHT_PROJECTION]);
  }

  /** The whole-day cells of a range (see OversightRange), summed over the days the ledger learnt of them. */
  async cells(range: OversightRange): Promise<StoredCell[]> {
    const params: unknown[] = [];
    let where = whole(range, params);
    if (range.role !== undefined) where += ` AND role IN ('', $${params.push(range.role)})`;
    const rows: Array<{
      day: Date;
      site: string;
      role: string;
      outputs: number;
      actions: number;
      accepted: number;
      overridden: number;
      review: number[];
    }> = await this.manager.query(
      `SELECT day, site, role, outputs, actions, accepted, overridden, review FROM ledger.oversight_cells WHERE ${where}`,
      params,
    );
    return rows.map((r) => ({ ...r, day: dayText(r.day) }));
  }

  /** The whole-day professionals of a range (see OversightRange), distinct per day, site and role. */
  async professionals(range: OversightRange): Promise<StoredProfessional[]> {
    const params: unknown[] = [];
    let where = whole(range, params);
    if (range.role !== undefined) where += ` AND role = $${params.push(range.role)}`;
    const rows: Array<{ day: Date; site: string; role: string; person_id: string }> = await this.manager.query(
      `SELECT DISTINCT day, site, role, person_id FROM ledger.oversight_professionals WHERE ${where}`,
      params,
    );
    return rows.map((r) => ({ day: dayText(r.day), site: r.site, role: r.role, personId: r.person_id }));
  }

  /**
   * Outputs, actions and incidents of the range counted entry by entry: those on the day of `asOf`
   * or learnt of on the day of `knownAt` (what the cells leave out), within both clocks. Without
   * clocks, `all` takes every entry of the range this way (the entries export).
   */
  async entries(
    range: OversightRange,
    all = false,
  ): Promise<{ outputs: OversightOutput[]; actions: OversightAction[]; incidents: Array<OversightIncident & { day: string }> }> {
    const params: unknown[] = [range.deploymentId, range.fromDay, range.toDay];
    const where = ['deployment_id = $1', 'day >= $2', 'day < $3'];
    if (range.site !== undefined) where.push(`site = $${params.push(range.site)}`);
    const sliceDays: string[] = [];
    const knownSeqColumn = '%KNOWN_SEQ%';
    if (range.asOf !== undefined) where.push(`time <= $${params.push(range.asOf)}`);
    if (range.knownAt !== undefined) where.push(`${knownSeqColumn} <= $${params.push(range.knownAt.seq)}`);
    if (!all) {
      if (range.asOf !== undefined) sliceDays.push(`day = $${params.push(utcDay(range.asOf))}`);
      if (range.knownAt !== undefined) sliceDays.push(`known_day = $${params.push(utcDay(range.knownAt.recordedAt))}`);
      if (sliceDays.length === 0) return { outputs: [], actions: [], incidents: [] };
    }
    const base = [...where, ...(all ? [] : [`(${sliceDays.join(' OR ')})`])].join(' AND ');
    const roleWhere = range.role === undefined ? '' : ` AND role = $${params.push(range.role)}`;
    const outputs: Array<{ output_id: string; deployment_id: string; site: string; seq: string; time: Date; recorded_at: Date }> =
      await this.manager.query(
        `SELECT output_id, deployment_id, site, seq, time, recorded_at FROM ledger.oversight_outputs WHERE ${base.replaceAll(knownSeqColumn, 'seq')} ORDER BY seq`,
        params.slice(0, range.role === undefined ? params.length : params.length - 1),
      );
    const actions: Array<{
      seq: string;
      output_id: string;
      deployment_id: string;
      site: string;
      role: string;
      person_id: string;
      action: OversightAction['action'];
      seconds: number;
      time: Date;
      known_seq: string;
      known_at: Date;
    }> = await this.manager.query(
      `SELECT seq, output_id, deployment_id, site, role, person_id, action, seconds, time, known_seq, known_at FROM ledger.oversight_actions
        WHERE ${base.replaceAll(knownSeqColumn, 'known_seq')}${roleWhere} ORDER BY seq`,
      params,
    );
    const incidents: Array<{
      seq: string;
      deployment_id: string;
      site: string;
      incident_id: string;
      time: Date;
      day: Date;
      known_seq: string;
      known_at: Date;
    }> = await this.manager.query(
      `SELECT seq, deployment_id, site, incident_id, time, day, known_seq, known_at FROM ledger.oversight_incidents
          WHERE ${base.replaceAll(knownSeqColumn, 'known_seq')} ORDER BY seq`,
      params.slice(0, range.role === undefined ? params.length : params.length - 1),
    );
    return {
      outputs: outputs.map((o) => ({
        outputId: o.output_id,
        deploymentId: o.deployment_id,
        site: o.site,
        seq: Number(o.seq),
        time: iso(o.time),
        recordedAt: iso(o.recorded_at),
      })),
      actions: actions.map((a) => ({
        seq: Number(a.seq),
        outputId: a.output_id,
        deploymentId: a.deployment_id,
        site: a.site,
        role: a.role,
        personId: a.person_id,
        action: a.action,
        seconds: a.seconds,
        time: iso(a.time),
        knownSeq: Number(a.known_seq),
        knownAt: iso(a.known_at),
      })),
      incidents: incidents.map((i) => ({
        seq: Number(i.seq),
        deploymentId: i.deployment_id,
        site: i.site,
        incidentId: i.incident_id,
        time: iso(i.time),
        day: dayText(i.day),
        knownSeq: Number(i.known_seq),
        knownAt: iso(i.known_at),
      })),
    };
  }

  /** Incidents of the range on whole days (see OversightRange). */
  async incidents(range: OversightRange): Promise<Array<{ day: string; incidentId: string }>> {
    const params: unknown[] = [];
    const where = whole(range, params);
    const rows: Array<{ day: Date; incident_id: string }> = await this.manager.query(
      `SELECT DISTINCT day, incident_id FROM ledger.oversight_incidents WHERE ${where}`,
      params,
    );
    return rows.map((r) => ({ day: dayText(r.day), incidentId: r.incident_id }));
  }
}
