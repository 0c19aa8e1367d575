import { isoWeekStart, utcDay, type OversightAction, type OversightIncident, type OversightOutput } from '@aal/accountability';
import type { EntityManager } from 'typeorm';
import {
  advancePosition,
  liveTarget,
  positionOf,
  tableIn,
  type ProjectionTarget,
} from '../../accountability/infrastructure/projection-target';
import type { OutputRef, OversightPagePlan, PendingEntry } from '../domain/oversight-page';

export const OVERSIGHT_PROJECTION = 'oversight';

/** A stored cell: the counts of one deployment, day, site, service and role learnt of on `knownDay`. */
export interface StoredCell {
  readonly day: string;
  readonly site: string;
  /** `''`: the outputs stated no service. */
  readonly service: string;
  readonly role: string;
  readonly outputs: number;
  readonly actions: number;
  readonly accepted: number;
  readonly overridden: number;
  readonly review: number[];
  /** Bit i (byte i >> 3, bit i & 7) set: the deployment's professional numbered i (oversight_people) acted. */
  readonly people: Uint8Array;
}

/** A cell to add, in both granularities: its day and week, and the days (weeks) the ledger learnt of it. */
export interface CellDelta extends StoredCell {
  readonly deploymentId: string;
  readonly knownDay: string;
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

/**
 * SQL conditions for a range on `period` rows (day cells, week cells or incidents): within the
 * range, at the site, and before the period of `asOf` and the period the ledger learnt of `knownAt`
 * (what those periods hold is counted at a finer grain).
 */
function whole(range: OversightRange, params: unknown[], period: 'day' | 'week' = 'day'): string {
  params.push(range.deploymentId, range.fromDay, range.toDay);
  const where = ['deployment_id = $1', `${period} >= $2`, `${period} < $3`];
  const of = (iso: string) => (period === 'day' ? utcDay(iso) : isoWeekStart(utcDay(iso)));
  if (range.site !== undefined) where.push(`site = $${params.push(range.site)}`);
  if (range.asOf !== undefined) where.push(`${period} < $${params.push(of(range.asOf))}`);
  if (range.knownAt !== undefined) where.push(`known_${period} < $${params.push(of(range.knownAt.recordedAt))}`);
  return where.join(' AND ');
}

/**
 * The oversight projection's tables (migrations 1734500000001-oversight, 1734600000001-oversight-services). Every method takes the
 * EntityManager of the caller's transaction: the projector (or a rebuild) applies a page in one,
 * and a read takes its cells, slices and position from one snapshot. A page applies to the live
 * tables or a rebuild's shadow (ProjectionTarget); reads for answers use the live ones only.
 */
export class OversightRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly target: ProjectionTarget = liveTarget(OVERSIGHT_PROJECTION),
  ) {}

  /** `table` in this repository's target: what a page writes and reads back. Answers use the live target. */
  private t(table: string): string {
    return tableIn(this.target, table);
  }

  /** The next seq the projection (in this repository's target) will apply. */
  position(): Promise<number> {
    return positionOf(this.manager, this.target);
  }

  /** The position, locked until the transaction ends, so two appliers never apply the same page. */
  async lockPosition(): Promise<number> {
    await this.manager.query(
      'INSERT INTO ledger.projection_positions (projection, next_seq) VALUES ($1, 0) ON CONFLICT (projection) DO NOTHING',
      [this.target.position],
    );
    const rows: Array<{ next_seq: string }> = await this.manager.query(
      'SELECT next_seq FROM ledger.projection_positions WHERE projection = $1 FOR UPDATE',
      [this.target.position],
    );
    return Number(rows[0]!.next_seq);
  }

  async outputsNamed(outputIds: readonly string[]): Promise<Map<string, OutputRef>> {
    if (outputIds.length === 0) return new Map();
    const rows: Array<{ output_id: string; seq: string; deployment_id: string; site: string; service: string; recorded_at: Date }> =
      await this.manager.query(
        `SELECT output_id, seq, deployment_id, site, service, recorded_at FROM ${this.t('oversight_outputs')} WHERE output_id = ANY($1::text[])`,
        [outputIds],
      );
    return new Map(
      rows.map((r) => [
        r.output_id,
        { seq: Number(r.seq), deploymentId: r.deployment_id, site: r.site, service: r.service, recordedAt: iso(r.recorded_at) },
      ]),
    );
  }

  async pendingFor(outputIds: readonly string[]): Promise<PendingEntry[]> {
    if (outputIds.length === 0) return [];
    const rows: Array<{ output_id: string; seq: string }> = await this.manager.query(
      `SELECT output_id, seq FROM ${this.t('oversight_pending')} WHERE output_id = ANY($1::text[]) ORDER BY seq`,
      [outputIds],
    );
    return rows.map((r) => ({ outputId: r.output_id, seq: Number(r.seq) }));
  }

  /**
   * The deployment's numbers for these professionals, numbering the new ones after the last. Only
   * one page is applied at a time (the position is locked), so numbers are never taken twice.
   */
  async personIndexes(deploymentId: string, personIds: readonly string[]): Promise<Map<string, number>> {
    await this.manager.query(
      `INSERT INTO ${this.t('oversight_people')} (deployment_id, person_id, idx)
       SELECT $1, p, (SELECT coalesce(max(idx), -1) FROM ${this.t('oversight_people')} WHERE deployment_id = $1) + row_number() OVER (ORDER BY p)
         FROM unnest($2::text[]) AS p
        WHERE NOT EXISTS (SELECT 1 FROM ${this.t('oversight_people')} o WHERE o.deployment_id = $1 AND o.person_id = p)`,
      [deploymentId, personIds],
    );
    const rows: Array<{ person_id: string; idx: number }> = await this.manager.query(
      `SELECT person_id, idx FROM ${this.t('oversight_people')} WHERE deployment_id = $1 AND person_id = ANY($2::text[])`,
      [deploymentId, personIds],
    );
    return new Map(rows.map((r) => [r.person_id, r.idx]));
  }

  /** Every professional the deployment numbered, by number. */
  async people(deploymentId: string): Promise<string[]> {
    const rows: Array<{ person_id: string; idx: number }> = await this.manager.query(
      `SELECT person_id, idx FROM ${this.t('oversight_people')} WHERE deployment_id = $1`,
      [deploymentId],
    );
    const out: string[] = [];
    for (const r of rows) out[r.idx] = r.person_id;
    return out;
  }

  /** Stores a page's plan and its cells (as day cells and as week cells), and moves the position to `nextSeq`. */
  async store(plan: OversightPagePlan, cells: readonly CellDelta[], nextSeq: number): Promise<void> {
    const m = this.manager;
    const json = (rows: unknown[]) => JSON.stringify(rows);
    if (plan.outputs.length > 0)
      await m.query(
        `INSERT INTO ${this.t('oversight_outputs')} (output_id, deployment_id, site, service, seq, time, day, recorded_at, known_day)
         SELECT r.output_id, r.deployment_id, r.site, r.service, r.seq, r.time, (r.time AT TIME ZONE 'UTC')::date, r.recorded_at, (r.recorded_at AT TIME ZONE 'UTC')::date
           FROM jsonb_to_recordset($1::jsonb) AS r(output_id text, deployment_id text, site text, service text, seq bigint, time timestamptz, recorded_at timestamptz)
         ON CONFLICT (output_id) DO NOTHING`,
        [
          json(
            plan.outputs.map((o: OversightOutput) => ({
              output_id: o.outputId,
              deployment_id: o.deploymentId,
              site: o.site,
              service: o.service,
              seq: o.seq,
              time: o.time,
              recorded_at: o.recordedAt,
            })),
          ),
        ],
      );
    if (plan.actions.length > 0)
      await m.query(
        `INSERT INTO ${this.t('oversight_actions')} (seq, output_id, deployment_id, site, service, role, person_id, action, seconds, time, day, known_seq, known_at, known_day)
         SELECT r.seq, r.output_id, r.deployment_id, r.site, r.service, r.role, r.person_id, r.action, r.seconds, r.time, (r.time AT TIME ZONE 'UTC')::date,
                r.known_seq, r.known_at, (r.known_at AT TIME ZONE 'UTC')::date
           FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, output_id text, deployment_id text, site text, service text, role text, person_id text,
                action text, seconds integer, time timestamptz, known_seq bigint, known_at timestamptz)
         ON CONFLICT (seq) DO NOTHING`,
        [
          json(
            plan.actions.map((a: OversightAction) => ({
              seq: a.seq,
              output_id: a.outputId,
              deployment_id: a.deploymentId,
              site: a.site,
              service: a.service,
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
        `INSERT INTO ${this.t('oversight_incidents')} (seq, deployment_id, site, incident_id, time, day, known_seq, known_at, known_day)
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
        `INSERT INTO ${this.t('oversight_pending')} (output_id, seq) SELECT r.output_id, r.seq FROM jsonb_to_recordset($1::jsonb) AS r(output_id text, seq bigint)
         ON CONFLICT DO NOTHING`,
        [json(plan.pending.map((p) => ({ output_id: p.outputId, seq: p.seq })))],
      );
    if (plan.resolved.length > 0)
      await m.query(
        `DELETE FROM ${this.t('oversight_pending')} p USING jsonb_to_recordset($1::jsonb) AS r(output_id text, seq bigint)
          WHERE p.output_id = r.output_id AND p.seq = r.seq`,
        [json(plan.resolved.map((p) => ({ output_id: p.outputId, seq: p.seq })))],
      );
    if (cells.length > 0) {
      await this.addCells(
        'day',
        cells.map((c) => ({ ...c, period: c.day, knownPeriod: c.knownDay })),
      );
      const weeks = new Map<string, CellDelta & { period: string; knownPeriod: string }>();
      for (const c of cells) {
        const period = isoWeekStart(c.day);
        const knownPeriod = isoWeekStart(c.knownDay);
        const key = [c.deploymentId, period, c.site, c.service, c.role, knownPeriod].join('\u0000');
        const w = weeks.get(key);
        weeks.set(
          key,
          w
            ? {
                ...w,
                outputs: w.outputs + c.outputs,
                actions: w.actions + c.actions,
                accepted: w.accepted + c.accepted,
                overridden: w.overridden + c.overridden,
                review: w.review.map((n, i) => n + (c.review[i] ?? 0)),
                people: orBytes(w.people, c.people),
              }
            : { ...c, period, knownPeriod },
        );
      }
      await this.addCells('week', [...weeks.values()]);
    }
    await advancePosition(m, this.target, nextSeq);
  }

  /**
   * Adds cells into the day or week table: counts and bins add up, professionals OR together. The
   * stored rows are read, merged here and written back; only one page is applied at a time.
   */
  private async addCells(period: 'day' | 'week', cells: ReadonlyArray<CellDelta & { period: string; knownPeriod: string }>): Promise<void> {
    const table = period === 'day' ? 'oversight_cells' : 'oversight_weeks';
    const key = (c: { deploymentId: string; period: string; site: string; service: string; role: string; knownPeriod: string }) =>
      [c.deploymentId, c.period, c.site, c.service, c.role, c.knownPeriod].join('\u0000');
    const stored: Array<{
      deployment_id: string;
      period: Date;
      site: string;
      service: string;
      role: string;
      known_period: Date;
      outputs: number;
      actions: number;
      accepted: number;
      overridden: number;
      review: Buffer;
      people: Buffer;
    }> = await this.manager.query(
      `SELECT c.deployment_id, c.${period} AS period, c.site, c.service, c.role, c.known_${period} AS known_period, c.outputs, c.actions, c.accepted, c.overridden, c.review, c.people
         FROM ${this.t(table)} c JOIN unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::date[], $6::text[]) AS k(d, p, s, r, kp, sv)
           ON c.deployment_id = k.d AND c.${period} = k.p AND c.site = k.s AND c.service = k.sv AND c.role = k.r AND c.known_${period} = k.kp`,
      [
        cells.map((c) => c.deploymentId),
        cells.map((c) => c.period),
        cells.map((c) => c.site),
        cells.map((c) => c.role),
        cells.map((c) => c.knownPeriod),
        cells.map((c) => c.service),
      ],
    );
    const merged = new Map(cells.map((c) => [key(c), { ...c, review: [...c.review] }]));
    for (const r of stored) {
      const c = merged.get(
        key({
          deploymentId: r.deployment_id,
          period: dayText(r.period),
          site: r.site,
          service: r.service,
          role: r.role,
          knownPeriod: dayText(r.known_period),
        }),
      )!;
      const review = decodeCounts(r.review);
      merged.set(key(c), {
        ...c,
        outputs: c.outputs + r.outputs,
        actions: c.actions + r.actions,
        accepted: c.accepted + r.accepted,
        overridden: c.overridden + r.overridden,
        review: c.review.map((n, i) => n + (review[i] ?? 0)),
        people: orBytes(c.people, r.people),
      });
    }
    const rows = [...merged.values()];
    const weekColumns = period === 'day' ? ', week, known_week' : '';
    const weekValues = period === 'day' ? ', w, kw' : '';
    await this.manager.query(
      `INSERT INTO ${this.t(table)} (deployment_id, ${period}, site, service, role, known_${period}${weekColumns}, outputs, actions, accepted, overridden, review, people)
       SELECT d, p, s, sv, r, kp${weekValues}, o, a, ac, ov, rv, pp
         FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::date[], $6::date[], $7::date[], $8::int[], $9::int[], $10::int[], $11::int[], $12::bytea[], $13::bytea[], $14::text[])
           AS u(d, p, s, r, kp, w, kw, o, a, ac, ov, rv, pp, sv)
       ON CONFLICT (deployment_id, ${period}, site, service, role, known_${period}) DO UPDATE SET
         outputs = EXCLUDED.outputs, actions = EXCLUDED.actions, accepted = EXCLUDED.accepted, overridden = EXCLUDED.overridden,
         review = EXCLUDED.review, people = EXCLUDED.people`,
      [
        rows.map((c) => c.deploymentId),
        rows.map((c) => c.period),
        rows.map((c) => c.site),
        rows.map((c) => c.role),
        rows.map((c) => c.knownPeriod),
        rows.map((c) => isoWeekStart(c.period)),
        rows.map((c) => isoWeekStart(c.knownPeriod)),
        rows.map((c) => c.outputs),
        rows.map((c) => c.actions),
        rows.map((c) => c.accepted),
        rows.map((c) => c.overridden),
        rows.map((c) => encodeCounts(c.review)),
        rows.map((c) => Buffer.from(c.people)),
        rows.map((c) => c.service),
      ],
    );
  }

  /**
   * The stored cells a range counts whole (see OversightRange). With `weeks`, the week cells before
   * the weeks of the two clocks, plus the day cells of those two weeks before the clocks' own days;
   * without, the day cells before the clocks' days. Either way the clocks' own days are left to
   * `entries`. Outputs (role `''`) are kept under a role filter: they have no role.
   */
  async cells(range: OversightRange, weeks: boolean): Promise<StoredCell[]> {
    if (!weeks) return this.cellRows('oversight_cells', 'day', range);
    const whole = await this.cellRows('oversight_weeks', 'week', range);
    if (range.asOf === undefined && range.knownAt === undefined) return whole;
    const clockWeeks: string[] = [];
    const params: unknown[] = [];
    if (range.asOf !== undefined) clockWeeks.push(`week = '${isoWeekStart(utcDay(range.asOf))}'`);
    if (range.knownAt !== undefined) clockWeeks.push(`known_week = '${isoWeekStart(utcDay(range.knownAt.recordedAt))}'`);
    return [...whole, ...(await this.cellRows('oversight_cells', 'day', range, `(${clockWeeks.join(' OR ')})`, params))];
  }

  private async cellRows(
    table: string,
    period: 'day' | 'week',
    range: OversightRange,
    extra?: string,
    params: unknown[] = [],
  ): Promise<StoredCell[]> {
    let where = whole(range, params, period);
    if (extra) where += ` AND ${extra}`;
    if (range.role !== undefined) where += ` AND role IN ('', $${params.push(range.role)})`;
    const rows: Array<{
      period: Date;
      site: string;
      service: string;
      role: string;
      outputs: number;
      actions: number;
      accepted: number;
      overridden: number;
      review: Buffer;
      people: Buffer;
    }> = await this.manager.query(
      `SELECT ${period} AS period, site, service, role, outputs, actions, accepted, overridden, review, people FROM ledger.${table} WHERE ${where}`,
      params,
    );
    return rows.map(({ period: p, review, ...r }) => ({ ...r, review: decodeCounts(review), day: dayText(p) }));
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
    const outputs: Array<{
      output_id: string;
      deployment_id: string;
      site: string;
      service: string;
      seq: string;
      time: Date;
      recorded_at: Date;
    }> = await this.manager.query(
      `SELECT output_id, deployment_id, site, service, seq, time, recorded_at FROM ledger.oversight_outputs WHERE ${base.replaceAll(knownSeqColumn, 'seq')} ORDER BY seq`,
      params.slice(0, range.role === undefined ? params.length : params.length - 1),
    );
    const actions: Array<{
      seq: string;
      output_id: string;
      deployment_id: string;
      site: string;
      service: string;
      role: string;
      person_id: string;
      action: OversightAction['action'];
      seconds: number;
      time: Date;
      known_seq: string;
      known_at: Date;
    }> = await this.manager.query(
      `SELECT seq, output_id, deployment_id, site, service, role, person_id, action, seconds, time, known_seq, known_at FROM ledger.oversight_actions
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
        service: o.service,
        seq: Number(o.seq),
        time: iso(o.time),
        recordedAt: iso(o.recorded_at),
      })),
      actions: actions.map((a) => ({
        seq: Number(a.seq),
        outputId: a.output_id,
        deploymentId: a.deployment_id,
        site: a.site,
        service: a.service,
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

/** Bin counts as little-endian 32-bit integers (what `review` columns hold). */
export function encodeCounts(counts: readonly number[]): Buffer {
  const out = Buffer.alloc(counts.length * 4);
  for (let i = 0; i < counts.length; i++) out.writeInt32LE(counts[i]!, i * 4);
  return out;
}

export function decodeCounts(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<number>(bytes.byteLength >> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}

/** The OR of two bitmaps, as long as the longer. */
export function orBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.max(a.length, b.length));
  out.set(a.length >= b.length ? a : b);
  const short = a.length >= b.length ? b : a;
  for (let i = 0; i < short.length; i++) out[i]! |= short[i]!;
  return out;
}

/** The bitmap with the bits of `indexes` set. */
export function bitsOf(indexes: Iterable<number>): Uint8Array {
  const list = [...indexes];
  const out = new Uint8Array(list.length === 0 ? 0 : (Math.max(...list) >> 3) + 1);
  for (const i of list) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** The numbers whose bits are set, ascending. */
export function indexesOf(bits: Uint8Array): number[] {
  const out: number[] = [];
  for (let byte = 0; byte < bits.length; byte++)
    for (let bit = 0; bits[byte] !== 0 && bit < 8; bit++) if (bits[byte]! & (1 << bit)) out.push(byte * 8 + bit);
  return out;
}
