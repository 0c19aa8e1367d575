import { Type, type Static } from '@sinclair/typebox';
import type { FactNamed } from './fact';
import { instant } from './instants';
import { addHistogram, countBelow, emptyHistogram, histogramPercentile, reviewBin, type ReviewHistogram } from './review-histogram';

/**
 * Time to check, per deployment: how many outputs a deployment produced per day or ISO week, how
 * many professionals acted on them, how long they reviewed them against the usage policy's minimum,
 * and what they did. Pure: the ledger's projection keeps the day cells, this module turns them into
 * buckets, and the findings (oversight-findings.ts) read the buckets.
 *
 * Counting rules (docs/oversight.md):
 * - an output counts on the UTC day it was generated (`output.generated` time), at its site and in
 *   its service (`''` when output.generated does not state one); it has no role, so a `role`
 *   filter does not narrow `outputs`;
 * - an action (`output.acted-on`) counts on the UTC day it happened, at its output's site and
 *   service, under the acting professional's role; one output acted on twice counts twice;
 * - an incident counts on the UTC day it was reported, once per site of the deployment's outputs it names.
 */

export type OversightBucketSize = 'day' | 'week';

export const OVERSIGHT_BUCKET_SIZES: readonly OversightBucketSize[] = ['day', 'week'];

/** What a professional recorded, as the oversight figures count it. */
export type OversightActionKind = FactNamed<'output.acted-on'>['data']['action'];

/** One output.generated of a deployment, with the two clocks. */
export interface OversightOutput {
  readonly seq: number;
  readonly outputId: string;
  readonly deploymentId: string;
  readonly site: string;
  /** The clinical service output.generated v2 states; `''` when it states none. */
  readonly service: string;
  readonly time: string;
  readonly recordedAt: string;
}

/**
 * One output.acted-on joined with its output. `knownSeq` / `knownAt`: the later of the two entries
 * (the action and its output.generated), since only then does the ledger know whose action it is.
 */
export interface OversightAction {
  readonly seq: number;
  readonly outputId: string;
  readonly deploymentId: string;
  readonly site: string;
  /** The output's service (`''` when it states none). */
  readonly service: string;
  readonly role: string;
  readonly personId: string;
  readonly action: OversightActionKind;
  readonly seconds: number;
  readonly time: string;
  readonly knownSeq: number;
  readonly knownAt: string;
}

/** One incident.reported naming outputs of a deployment at one site; `knownSeq` as for actions. */
export interface OversightIncident {
  readonly seq: number;
  readonly incidentId: string;
  readonly deploymentId: string;
  readonly site: string;
  readonly time: string;
  readonly knownSeq: number;
  readonly knownAt: string;
}

/**
 * The figures of one deployment on one UTC day at one site, in one service (`''`: not stated), for
 * one role (`''` for outputs, which have no role). Cells of the same day, site, service and role
 * add up; `professionals` are distinct. Buckets add every service together; only the usage
 * (oversight-usage.ts) tells them apart.
 */
export interface OversightCell {
  readonly day: string;
  readonly site: string;
  readonly service: string;
  readonly role: string;
  outputs: number;
  actions: number;
  accepted: number;
  overridden: number;
  readonly review: ReviewHistogram;
  readonly professionals: Set<string>;
}

/** The UTC day (YYYY-MM-DD) of an RFC 3339 time. */
export function utcDay(iso: string): string {
  return new Date(instant(iso)).toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

/** `day` (YYYY-MM-DD) moved by `days`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday (UTC) of the ISO week holding `day`. */
export function isoWeekStart(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(day, -weekday);
}

/** Where a cell counts: its day, site, service and role. */
export type CellPlace = Pick<OversightCell, 'day' | 'site' | 'service' | 'role'>;

export function cellKey(place: CellPlace): string {
  return `${place.day}\u0000${place.site}\u0000${place.service}\u0000${place.role}`;
}

export function newCell(place: CellPlace): OversightCell {
  const { day, site, service, role } = place;
  return {
    day,
    site,
    service,
    role,
    outputs: 0,
    actions: 0,
    accepted: 0,
    overridden: 0,
    review: emptyHistogram(),
    professionals: new Set(),
  };
}

/** The cell under `key` in `cells`, added empty for `place` when absent. */
export function cellAt(cells: Map<string, OversightCell>, key: string, place: CellPlace): OversightCell {
  const found = cells.get(key);
  if (found) return found;
  const added = newCell(place);
  cells.set(key, added);
  return added;
}

/** Adds `from` into `into` (same day, site, service and role). */
export function mergeCell(into: OversightCell, from: Omit<OversightCell, keyof CellPlace>): OversightCell {
  into.outputs += from.outputs;
  into.actions += from.actions;
  into.accepted += from.accepted;
  into.overridden += from.overridden;
  addHistogram(into.review, from.review);
  for (const p of from.professionals) into.professionals.add(p);
  return into;
}

/** Cells keyed by cellKey; `keyOf` may add to the key (the projection adds the day the ledger learnt of it). */
export function cellsOf(
  outputs: readonly OversightOutput[],
  actions: readonly OversightAction[],
  extraKey: (entry: { recordedAt?: string; knownAt?: string }) => string = () => '',
): Map<string, OversightCell> {
  const cells = new Map<string, OversightCell>();
  const cell = (place: CellPlace, extra: string) => cellAt(cells, `${cellKey(place)}\u0000${extra}`, place);
  for (const o of outputs) cell({ day: utcDay(o.time), site: o.site, service: o.service, role: '' }, extraKey(o)).outputs++;
  for (const a of actions) {
    const c = cell({ day: utcDay(a.time), site: a.site, service: a.service, role: a.role }, extraKey(a));
    c.actions++;
    if (a.action === 'accepted') c.accepted++;
    if (a.action === 'overridden') c.overridden++;
    c.review[reviewBin(a.seconds)]!++;
    c.professionals.add(a.personId);
  }
  return cells;
}

/** One bucket's period: `start` inclusive, `end` exclusive, both UTC days. */
export interface BucketPeriod {
  readonly start: string;
  readonly end: string;
}

/**
 * The buckets covering the days `from` to `to` (both included): UTC days, or ISO weeks (Monday to
 * Monday, UTC) with the range widened to whole weeks.
 */
export function bucketPeriods(from: string, to: string, size: OversightBucketSize): BucketPeriod[] {
  const periods: BucketPeriod[] = [];
  const step = size === 'day' ? 1 : 7;
  for (let start = size === 'day' ? from : isoWeekStart(from); start <= to; start = addDays(start, step))
    periods.push({ start, end: addDays(start, step) });
  return periods;
}

type Policy = FactNamed<'usage-policy.issued'>;
type Training = FactNamed<'training.recorded'>;

/**
 * The usage policy for `site` and `role` on `day`: of the policies in force at some moment of that
 * UTC day and covering both, the one that took effect last (then the later entry). Policies decided
 * after `asOf` are not in force for an answer about `asOf`.
 */
export function policyOnDay(policies: readonly Policy[], day: string, site: string, role: string, asOf?: string): Policy | undefined {
  const dayStart = Date.parse(`${day}T00:00:00Z`);
  const dayEnd = dayStart + DAY_MS;
  let best: Policy | undefined;
  for (const p of policies) {
    const d = p.data;
    if (asOf !== undefined && instant(p.time) > instant(asOf)) continue;
    if (!d.sites.includes(site) || !d.roles.includes(role)) continue;
    if (instant(d.effectiveFrom) >= dayEnd) continue;
    if (d.effectiveUntil !== undefined && instant(d.effectiveUntil) <= dayStart) continue;
    if (
      !best ||
      instant(d.effectiveFrom) > instant(best.data.effectiveFrom) ||
      (d.effectiveFrom === best.data.effectiveFrom && p.seq > best.seq)
    )
      best = p;
  }
  return best;
}

const Count = Type.Integer({ minimum: 0 });
const NumberOrNull = Type.Union([Type.Number(), Type.Null()]);

/** What a bucket says, as served (field names are the API's). */
export const OversightBucket = Type.Object(
  {
    start: Type.String({ format: 'date-time', description: 'Midnight UTC starting the bucket (inclusive).' }),
    end: Type.String({ format: 'date-time', description: 'Midnight UTC ending the bucket (exclusive).' }),
    outputs: Count,
    actions: Type.Integer({ minimum: 0, description: 'output.acted-on entries counted (the denominator of the shares).' }),
    activeProfessionals: Count,
    outputsPerProfessional: Type.Union([Type.Number(), Type.Null()], {
      description: 'Actions per active professional, 2 decimals; null with no one active.',
    }),
    reviewSeconds: Type.Object({ p50: NumberOrNull, p90: NumberOrNull }, { additionalProperties: false }),
    minimumReviewSeconds: Type.Union([Type.Number(), Type.Null()], {
      description: 'The policy minimum in force (the highest, when it differed between the bucket’s days, sites or roles); null when none.',
    }),
    minimumVaries: Type.Boolean(),
    shareBelowMinimum: NumberOrNull,
    shareAcceptedUnchanged: NumberOrNull,
    shareOverridden: NumberOrNull,
    incidents: Count,
  },
  { additionalProperties: false },
);
export type OversightBucket = Static<typeof OversightBucket>;

/** A bucket's figures and what the findings need besides: the policies and professionals behind them. */
export interface BucketWorkings {
  readonly bucket: OversightBucket;
  /** Seqs of the policies whose minimum or use applied in the bucket. */
  readonly policySeqs: readonly number[];
  /** Professionals who acted under a mandatory-use policy in the bucket. */
  readonly mandatoryProfessionals: ReadonlySet<string>;
  readonly mandatorySeqs: readonly number[];
}

const share = (n: number, of: number) => (of === 0 ? null : Math.round((n / of) * 10_000) / 10_000);

/**
 * The buckets of `from`..`to` from merged day cells (one per day, site and role, already narrowed to
 * the site and role asked for and to the two clocks) and the incidents' days.
 */
export function oversightBuckets(input: {
  readonly from: string;
  readonly to: string;
  readonly bucket: OversightBucketSize;
  readonly asOf?: string;
  readonly cells: readonly OversightCell[];
  readonly incidents: ReadonlyArray<{ readonly day: string; readonly incidentId: string }>;
  readonly policies: readonly Policy[];
}): BucketWorkings[] {
  const periods = bucketPeriods(input.from, input.to, input.bucket);
  const index = (day: string) => {
    // Periods are contiguous and ascending: find by offset from the first.
    const first = periods[0];
    if (!first || day < first.start) return -1;
    const i = Math.floor(
      (Date.parse(`${day}T00:00:00Z`) - Date.parse(`${first.start}T00:00:00Z`)) / DAY_MS / (input.bucket === 'day' ? 1 : 7),
    );
    return i < periods.length ? i : -1;
  };
  const byBucket = periods.map(() => [] as OversightCell[]);
  for (const c of input.cells) {
    const i = index(c.day);
    if (i >= 0) byBucket[i]!.push(c);
  }
  const incidents = periods.map(() => new Set<string>());
  for (const inc of input.incidents) {
    const i = index(inc.day);
    if (i >= 0) incidents[i]!.add(inc.incidentId);
  }
  return periods.map((period, i) => bucketOf(period, byBucket[i]!, incidents[i]!.size, input.policies, input.asOf));
}

function bucketOf(
  period: BucketPeriod,
  cells: readonly OversightCell[],
  incidents: number,
  policies: readonly Policy[],
  asOf?: string,
): BucketWorkings {
  let outputs = 0;
  let actions = 0;
  let accepted = 0;
  let overridden = 0;
  let below = 0;
  const review = emptyHistogram();
  const professionals = new Set<string>();
  const minimums = new Set<number>();
  const policySeqs = new Set<number>();
  const mandatoryProfessionals = new Set<string>();
  const mandatorySeqs = new Set<number>();
  for (const c of cells) {
    outputs += c.outputs;
    if (c.actions === 0) continue;
    actions += c.actions;
    accepted += c.accepted;
    overridden += c.overridden;
    addHistogram(review, c.review);
    for (const p of c.professionals) professionals.add(p);
    const policy = policyOnDay(policies, c.day, c.site, c.role, asOf);
    if (!policy) continue;
    policySeqs.add(policy.seq);
    minimums.add(policy.data.minimumReviewSeconds);
    below += countBelow(c.review, policy.data.minimumReviewSeconds);
    if (policy.data.use === 'mandatory') {
      mandatorySeqs.add(policy.seq);
      for (const p of c.professionals) mandatoryProfessionals.add(p);
    }
  }
  const minimum = minimums.size === 0 ? null : Math.max(...minimums);
  const bucket: OversightBucket = {
    start: `${period.start}T00:00:00.000Z`,
    end: `${period.end}T00:00:00.000Z`,
    outputs,
    actions,
    activeProfessionals: professionals.size,
    outputsPerProfessional: professionals.size === 0 ? null : Math.round((actions / professionals.size) * 100) / 100,
    reviewSeconds: { p50: histogramPercentile(review, 0.5), p90: histogramPercentile(review, 0.9) },
    minimumReviewSeconds: minimum,
    minimumVaries: minimums.size > 1,
    shareBelowMinimum: share(below, actions),
    shareAcceptedUnchanged: share(accepted, actions),
    shareOverridden: share(overridden, actions),
    incidents,
  };
  const asc = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return { bucket, policySeqs: asc(policySeqs), mandatoryProfessionals, mandatorySeqs: asc(mandatorySeqs) };
}

/**
 * The training records of the deployment that cover a professional for the period: completed
 * before its end, not expired before its start, and (for an answer about `asOf`) recorded as
 * happening by then.
 */
export function trainingCovering(
  training: readonly Training[],
  personId: string,
  period: { start: string; end: string },
  asOf?: string,
): Training[] {
  return training.filter(
    (t) =>
      t.data.professionalId === personId &&
      instant(t.data.completedAt) < instant(period.end) &&
      (t.data.expiresAt === undefined || instant(t.data.expiresAt) > instant(period.start)) &&
      (asOf === undefined || instant(t.time) <= instant(asOf)),
  );
}
