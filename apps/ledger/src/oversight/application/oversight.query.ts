import {
  addDays,
  cellAt,
  cellKey,
  cellsOf,
  DEFAULT_OVERSIGHT_THRESHOLDS,
  isoWeekStart,
  deriveOversightFindings,
  factKeys,
  mergeCell,
  oversightBuckets,
  oversightUsage,
  REVIEW_BIN_EDGES,
  type CellPlace,
  type Fact,
  type FactNamed,
  type KnownAt,
  StatedKnownAt,
  OversightBucket,
  type OversightBucketSize,
  type OversightCell,
  type OversightFinding,
  type OversightThresholds,
  type OversightUsage,
} from '@aal/accountability';
import { subjectOf } from '@aal/contracts';
import { DomainError, PushBackError } from '@aal/domain';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DataSource, type EntityManager } from 'typeorm';
import { PROJECTION_WAIT_LIMIT_MS } from '../../accountability/application/accountability.query';
import { FactsRepository } from '../../accountability/infrastructure/facts.repository';
import { CheckpointRepository } from '../../log/infrastructure/checkpoint.repository';
import { oversightErrors } from '../domain/oversight.errors';
import { indexesOf, OversightRepository, type OversightRange } from '../infrastructure/oversight.repository';

export const OVERSIGHT_THRESHOLDS = Symbol('OVERSIGHT_THRESHOLDS');

/** The question, already checked by the route (days are YYYY-MM-DD, both included). */
export interface OversightRequest {
  readonly from: string;
  readonly to: string;
  readonly bucket: OversightBucketSize;
  readonly site?: string;
  readonly role?: string;
  /** RFC 3339, normalised: facts that happened after it are not counted, policies decided after it are not in force. */
  readonly asOf?: string;
  readonly knownAt?: { readonly seq: number } | { readonly time: string };
  /** Where the evidence links point (the employer's route, or the case's). */
  readonly basePath?: string;
}

/** Checks that the caller may read the oversight of a deployment of `employerId` (throws if not). */
export type DeploymentAccess = (employerId: string) => void;

/** GET /deployments/{id}/oversight, as served (docs/oversight.md). */
export interface OversightAnswer {
  readonly deploymentId: string;
  readonly from: string;
  readonly to: string;
  readonly bucket: OversightBucketSize;
  readonly site: string | null;
  readonly role: string | null;
  readonly asOf: string | null;
  readonly knownAt: KnownAt & { readonly source: 'latest' | 'requested' };
  readonly basis: OversightBasis;
  readonly policyMinimumReviewSeconds: number | null;
  readonly buckets: readonly OversightBucket[];
  /** The sites, services and roles the counted outputs and actions came from, over the whole period (the web view sets them beside the approved scope). */
  readonly usage: OversightUsage;
  readonly findings: readonly OversightFinding[];
}

export interface OversightBasis {
  readonly checkpoint: { readonly treeSize: number; readonly rootHash: string } | null;
  /** How the buckets were made, in words. */
  readonly buckets: string;
  readonly reviewTimeBins: string;
  /** Stored day cells read, and entries counted one by one (the days of `asOf` and `knownAt`). */
  readonly cellsRead: number;
  readonly entriesCounted: number;
  /** The deployment's own entries read (request, approval, policies, training), ascending. */
  readonly deploymentSeqs: readonly number[];
  readonly thresholds: OversightThresholds;
}

/**
 * Beside an output's accountability answer: its ISO week's oversight figures at its site, from the
 * projection (`proven: false`: not recomputed by the verifier). `week` and `query`, or `unavailable`.
 */
export const OversightContext = Type.Object(
  {
    proven: Type.Literal(false),
    deploymentId: Type.String({ format: 'uuid' }),
    site: Type.String(),
    knownAt: Type.Integer({ minimum: 0 }),
    week: Type.Optional(OversightBucket),
    query: Type.Optional(Type.String({ description: 'The oversight query that gives `week`.' })),
    unavailable: Type.Optional(Type.String({ description: 'Why the week could not be read.' })),
  },
  {
    additionalProperties: false,
    description: "The deployment's oversight around the output (from the projection, not recomputed by the verifier).",
  },
);
export type OversightContext = Static<typeof OversightContext>;

/** The seqs of the entries a range counts (GET /deployments/{id}/oversight/entries). */
const Seqs = Type.Array(Type.Integer({ minimum: 0 }));
const OrNull = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);
export const OversightEntries = Type.Object(
  {
    deploymentId: Type.String({ format: 'uuid' }),
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    site: OrNull(Type.String()),
    role: OrNull(Type.String()),
    asOf: OrNull(Type.String({ format: 'date-time' })),
    knownAt: StatedKnownAt,
    outputs: Seqs,
    actions: Seqs,
    incidents: Seqs,
    policies: Seqs,
    training: Seqs,
  },
  {
    additionalProperties: false,
    description: 'The sequence numbers of the entries the oversight answer for the same query counts, by kind.',
  },
);
export type OversightEntries = Static<typeof OversightEntries>;

type Policy = FactNamed<'usage-policy.issued'>;
type Training = FactNamed<'training.recorded'>;

/**
 * Time to check, per deployment: reads the oversight projection (day cells plus the entries of the
 * clocks' own days) and the deployment's facts, and derives buckets and findings with
 * @aal/accountability. Throws `DEPLOYMENT.NOT_FOUND`, `ACCOUNTABILITY.BAD_CLOCK` and
 * `PROJECTION.BEHIND` like the accountability query.
 */
@Injectable()
export class OversightQuery {
  private readonly facts: FactsRepository;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(OVERSIGHT_THRESHOLDS) private readonly thresholds: OversightThresholds = DEFAULT_OVERSIGHT_THRESHOLDS,
  ) {
    this.facts = new FactsRepository(dataSource);
  }

  /**
   * `known`, when given: facts already read at `request.knownAt` that include every fact of the
   * deployment there (an accountability answer's), used instead of reading them again.
   */
  async forDeployment(
    deploymentId: string,
    request: OversightRequest,
    access?: DeploymentAccess,
    known?: readonly Fact[],
  ): Promise<OversightAnswer> {
    await this.ready(request.knownAt);
    return this.snapshot(async (manager) => {
      const { knownAt, range, deployment } = await this.prepare(deploymentId, request, manager, access, known);
      const repository = new OversightRepository(manager);
      // One transaction is one connection: its queries run one after the other anyway.
      const stored = await repository.cells(range, request.bucket === 'week');
      const people = await repository.people(deploymentId);
      const incidents = await repository.incidents(range);
      const slice = await repository.entries(range);
      const cells = new Map<string, OversightCell>();
      const cell = (place: CellPlace) => cellAt(cells, cellKey(place), place);
      for (const s of stored) mergeCell(cell(s), { ...s, professionals: professionalsOf(s.people, people) });
      for (const c of cellsOf(slice.outputs, slice.actions).values()) mergeCell(cell(c), c);
      const workings = oversightBuckets({
        from: request.from,
        to: request.to,
        bucket: request.bucket,
        ...(request.asOf === undefined ? {} : { asOf: request.asOf }),
        cells: [...cells.values()],
        incidents: [...incidents, ...slice.incidents],
        policies: deployment.policies,
      });
      const buckets = workings.map((w) => w.bucket);
      const scope = {
        deploymentId,
        bucket: request.bucket,
        ...(request.site === undefined ? {} : { site: request.site }),
        ...(request.role === undefined ? {} : { role: request.role }),
        ...(request.asOf === undefined ? {} : { asOf: request.asOf }),
        knownAtSeq: knownAt.seq,
        ...(request.basePath === undefined ? {} : { basePath: request.basePath }),
      };
      const checkpoint = await new CheckpointRepository(manager).latest();
      const withMinimum = buckets.filter((b) => b.minimumReviewSeconds !== null);
      return {
        deploymentId,
        from: request.from,
        to: request.to,
        bucket: request.bucket,
        site: request.site ?? null,
        role: request.role ?? null,
        asOf: request.asOf ?? null,
        knownAt,
        basis: {
          checkpoint: checkpoint && { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash.toString('hex') },
          buckets:
            request.bucket === 'day'
              ? 'UTC days from `from` to `to`, both included'
              : 'ISO weeks (Monday 00:00 UTC to the next Monday) covering `from` to `to`, widened to whole weeks',
          reviewTimeBins: `review times are counted in ${REVIEW_BIN_EDGES.length} bins: one per second below 180 s, 10 s to 1200 s, 60 s to 3600 s, then one open bin; p50 and p90 are the lower edge of the bin holding the nearest rank`,
          cellsRead: stored.length,
          entriesCounted: slice.outputs.length + slice.actions.length + slice.incidents.length,
          deploymentSeqs: deployment.seqs,
          thresholds: this.thresholds,
        },
        policyMinimumReviewSeconds: withMinimum.length === 0 ? null : withMinimum[withMinimum.length - 1]!.minimumReviewSeconds,
        buckets,
        usage: oversightUsage(cells.values()),
        findings: deriveOversightFindings(workings, deployment.training, scope, this.thresholds),
      };
    });
  }

  /** The seqs of every entry the range counts, with the same clocks (the evidence export). */
  async entries(deploymentId: string, request: OversightRequest, access?: DeploymentAccess): Promise<OversightEntries> {
    await this.ready(request.knownAt);
    return this.snapshot(async (manager) => {
      const { knownAt, range, deployment } = await this.prepare(deploymentId, request, manager, access);
      const all = await new OversightRepository(manager).entries(range, true);
      const seqs = (xs: ReadonlyArray<{ seq: number }>) => [...new Set(xs.map((x) => x.seq))].sort((a, b) => a - b);
      return {
        deploymentId,
        from: request.from,
        to: request.to,
        site: request.site ?? null,
        role: request.role ?? null,
        asOf: request.asOf ?? null,
        knownAt,
        outputs: seqs(all.outputs),
        actions: seqs(all.actions),
        incidents: seqs(all.incidents),
        policies: deployment.policies.map((p) => p.seq),
        training: deployment.training.map((t) => t.seq),
      };
    });
  }

  /**
   * The oversight context of one output's accountability answer: the figures of the ISO week it was
   * generated in, for its deployment and site, as the ledger knew them at the answer's `knownAt`.
   * Read from the projection, NOT from proven entries: it is served beside the answer
   * (`oversightContext`), never inside what the verifier recomputes. `unavailable` says why there
   * are no figures (the projection behind, or nothing known).
   */
  async contextForOutput(
    answer: {
      readonly output: { readonly deploymentId: string; readonly site: string; readonly generatedAt: string };
      readonly knownAt: { readonly seq: number };
    },
    answerFacts?: readonly Fact[],
  ): Promise<OversightContext> {
    const { deploymentId, site, generatedAt } = answer.output;
    const day = generatedAt.slice(0, 10);
    const request: OversightRequest = { from: day, to: day, bucket: 'week', site, knownAt: { seq: answer.knownAt.seq } };
    const about = { proven: false as const, deploymentId, site, knownAt: answer.knownAt.seq };
    try {
      const week = await this.forDeployment(deploymentId, request, undefined, answerFacts);
      const query = `/deployments/${deploymentId}/oversight?${new URLSearchParams({ from: day, to: day, bucket: 'week', site, knownAt: String(answer.knownAt.seq) })}`;
      return { ...about, week: week.buckets[0]!, query };
    } catch (err) {
      if (err instanceof DomainError || err instanceof PushBackError) return { ...about, unavailable: err.detail };
      throw err;
    }
  }

  /** The deployments that produced these outputs (as the oversight projection holds them): what a case may read the oversight of. */
  async deploymentsOf(outputIds: readonly string[]): Promise<Set<string>> {
    const outputs = await new OversightRepository(this.dataSource.manager).outputsNamed(outputIds);
    return new Set([...outputs.values()].map((o) => o.deploymentId));
  }

  /** Reads cells, slices and position from one snapshot, so a page applied meanwhile is either wholly in or wholly out. */
  private snapshot<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', work);
  }

  private async prepare(
    deploymentId: string,
    request: OversightRequest,
    manager: EntityManager,
    access?: DeploymentAccess,
    known?: readonly Fact[],
  ) {
    const knownAt = await this.knownAt(request.knownAt, manager);
    const key = subjectOf('deployment', deploymentId);
    // What the facts index would find for the key: the facts it indexes under it (factKeys), up to the clock.
    const facts = known
      ? known.filter((f) => f.seq <= knownAt.seq && factKeys(f).includes(key))
      : await this.facts.byKeys([key], knownAt.seq, manager);
    const requested = facts.find((f): f is FactNamed<'deployment.requested'> => f.name === 'deployment.requested');
    if (!requested) throw oversightErrors.deploymentNotKnown(deploymentId, knownAt);
    access?.(requested.data.employerId);
    const policies = facts.filter((f): f is Policy => f.name === 'usage-policy.issued' && f.data.deploymentId === deploymentId);
    const training = facts.filter((f): f is Training => f.name === 'training.recorded' && f.data.deploymentId === deploymentId);
    const range: OversightRange = {
      deploymentId,
      fromDay: request.bucket === 'week' ? isoWeekStart(request.from) : request.from,
      toDay: request.bucket === 'week' ? addDays(isoWeekStart(request.to), 7) : addDays(request.to, 1),
      ...(request.site === undefined ? {} : { site: request.site }),
      ...(request.role === undefined ? {} : { role: request.role }),
      ...(request.asOf === undefined ? {} : { asOf: request.asOf }),
      ...(knownAt.cut ? { knownAt } : {}),
    };
    const { cut: _cut, ...stated } = knownAt;
    return { knownAt: stated, range, deployment: { policies, training, seqs: facts.map((f) => f.seq) } };
  }

  /**
   * Waits (bounded, outside the read snapshot) until both projections hold the entry asked for: the
   * oversight one for the counts, the facts one for the deployment's policies and training.
   */
  private async ready(requested: OversightRequest['knownAt']): Promise<void> {
    if (requested === undefined || !('seq' in requested)) return;
    const deadline = Date.now() + PROJECTION_WAIT_LIMIT_MS;
    const oversight = new OversightRepository(this.dataSource.manager);
    for (;;) {
      const position = Math.min(await oversight.position(), await this.facts.position());
      if (position > requested.seq) return;
      if (Date.now() >= deadline) throw oversightErrors.projectionBehind(requested.seq, position);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * The clock `knownAt` within the snapshot: the entry asked for (a seq, or the last entry recorded
   * by a time), or else the latest entry BOTH projections hold. `cut` says whether the counts must be
   * cut at it (always when asked for; by default only when the facts projection is behind the
   * oversight one).
   */
  private async knownAt(
    requested: OversightRequest['knownAt'],
    manager: EntityManager,
  ): Promise<KnownAt & { source: 'latest' | 'requested'; cut: boolean }> {
    const oversight = await new OversightRepository(manager).position();
    const both = Math.min(oversight, await this.facts.position(manager));
    if (requested === undefined) {
      const latest = both > 0 ? await this.facts.knownAtSeq(both - 1, manager) : null;
      if (!latest) throw oversightErrors.nothingYet();
      return { ...latest, source: 'latest', cut: both < oversight };
    }
    if ('seq' in requested) {
      if (both <= requested.seq) throw oversightErrors.projectionBehind(requested.seq, both);
      const at = await this.facts.knownAtSeq(requested.seq, manager);
      if (!at) throw oversightErrors.nothingYet();
      return { ...at, source: 'requested', cut: true };
    }
    const at = await this.facts.knownAtTime(requested.time, both, manager);
    if (!at) throw oversightErrors.nothingRecordedBy(requested.time);
    return { ...at, source: 'requested', cut: true };
  }
}

/** The professionals a cell's bitmap names, by the deployment's numbering. */
function professionalsOf(bits: Uint8Array, people: readonly string[]): Set<string> {
  return new Set(indexesOf(bits).map((i) => people[i]!));
}
