import { makeEvent } from '@aal/testing';
import fc from 'fast-check';
import type { FactNamed } from './fact';
import {
  bucketPeriods,
  cellsOf,
  isoWeekStart,
  mergeCell,
  newCell,
  oversightBuckets,
  policyOnDay,
  type OversightAction,
  type OversightCell,
  type OversightOutput,
} from './oversight';
import { DEFAULT_OVERSIGHT_THRESHOLDS, deriveOversightFindings, oversightLinks, type OversightQueryScope } from './oversight-findings';
import { countBelow, emptyHistogram, histogramPercentile, isBinEdge, REVIEW_BIN_EDGES, reviewBin } from './review-histogram';
import { asFact } from './testing/as-fact';

const DEPLOYMENT = '7c1f6f1e-2b9a-4c1e-9f0e-5d7a1b2c3d4e';

/** Nearest-rank percentile of plain numbers: the reference the histogram must match. */
function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}

const histogramOf = (values: readonly number[]) => {
  const h = emptyHistogram();
  for (const v of values) h[reviewBin(v)]!++;
  return h;
};

describe('review-time histogram', () => {
  it('puts every duration in the bin whose edges hold it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 604800 }), (s) => {
        const bin = reviewBin(s);
        expect(REVIEW_BIN_EDGES[bin]!).toBeLessThanOrEqual(s);
        if (bin + 1 < REVIEW_BIN_EDGES.length) expect(s).toBeLessThan(REVIEW_BIN_EDGES[bin + 1]!);
      }),
    );
  });

  it('gives exactly the nearest-rank p50 and p90 of durations below 180 s', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 179 }), { maxLength: 300 }), (values) => {
        const h = histogramOf(values);
        expect(histogramPercentile(h, 0.5)).toBe(nearestRank(values, 0.5));
        expect(histogramPercentile(h, 0.9)).toBe(nearestRank(values, 0.9));
      }),
    );
  });

  it('gives the lower edge of the bin holding the nearest rank for any duration', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10000 }), { minLength: 1, maxLength: 200 }), (values) => {
        const exact = nearestRank(values, 0.9)!;
        expect(histogramPercentile(histogramOf(values), 0.9)).toBe(REVIEW_BIN_EDGES[reviewBin(exact)]);
      }),
    );
  });

  it('counts exactly the durations below a minimum that is a bin edge, and never more than there are', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 200 }), fc.integer({ min: 0, max: 4000 }), (values, minimum) => {
        const below = values.filter((v) => v < minimum).length;
        const counted = countBelow(histogramOf(values), minimum);
        if (isBinEdge(minimum)) expect(counted).toBe(below);
        else expect(counted).toBeLessThanOrEqual(below);
      }),
    );
    expect([30, 60, 90, 120, 179, 180, 300, 1200, 1260].every(isBinEdge)).toBe(true);
  });
});

// ---- cells and buckets ------------------------------------------------------------------------------

const arbAction = fc.record({
  day: fc.integer({ min: 0, max: 27 }),
  site: fc.constantFrom('ward-7a', 'ward-7b'),
  role: fc.constantFrom('staff-nurse', 'doctor'),
  person: fc.constantFrom('psn_a00000001', 'psn_b00000001', 'psn_c00000001'),
  action: fc.constantFrom('accepted', 'modified', 'overridden', 'ignored', 'escalated' as const),
  seconds: fc.integer({ min: 0, max: 400 }),
});

const at = (day: number, hour = 10) => new Date(Date.parse('2026-10-05T00:00:00Z') + day * 86_400_000 + hour * 3_600_000).toISOString();

type ActionSpec = { day: number; site: string; role: string; person: string; action: OversightAction['action']; seconds: number };

function actionsOf(spec: readonly ActionSpec[]): OversightAction[] {
  return spec.map((a, i) => ({
    seq: 100 + i,
    outputId: `out-${i}`,
    deploymentId: DEPLOYMENT,
    site: a.site,
    service: 'respiratory',
    role: a.role,
    personId: a.person,
    action: a.action,
    seconds: a.seconds,
    time: at(a.day),
    knownSeq: 100 + i,
    knownAt: at(a.day, 11),
  }));
}

function merged(cells: Iterable<OversightCell>): OversightCell[] {
  const by = new Map<string, OversightCell>();
  for (const c of cells) {
    const key = `${c.day}|${c.site}|${c.service}|${c.role}`;
    by.set(key, mergeCell(by.get(key) ?? newCell(c), c));
  }
  return [...by.values()];
}

const policy = (data: Record<string, unknown>, seq: number, time = '2026-09-01T00:00:00Z') =>
  asFact(
    makeEvent(
      'usage-policy.issued',
      {
        policyId: `${String(seq).padStart(8, '0')}-1111-4111-8111-111111111111`,
        deploymentId: DEPLOYMENT,
        employerId: 'st-swithins',
        use: 'advisory',
        roles: ['staff-nurse', 'doctor'],
        sites: ['ward-7a', 'ward-7b'],
        humanReviewRequired: true,
        minimumReviewSeconds: 60,
        effectiveFrom: '2026-09-01T00:00:00Z',
        actor: { organisationId: 'st-swithins', personId: 'psn_empadmin0001', role: 'employer-admin' },
        ...data,
      },
      { time },
    ),
    seq,
    time,
  ) as FactNamed<'usage-policy.issued'>;

const training = (personId: string, seq: number, completedAt = '2026-09-15T00:00:00Z') =>
  asFact(
    makeEvent(
      'training.recorded',
      {
        trainingId: `${String(seq).padStart(8, '0')}-2222-4222-8222-222222222222`,
        employerId: 'st-swithins',
        professionalId: personId,
        deploymentId: DEPLOYMENT,
        course: 'Essentials',
        completedAt,
        actor: { organisationId: 'st-swithins', personId: 'psn_empadmin0001', role: 'employer-admin' },
      },
      { time: completedAt },
    ),
    seq,
    completedAt,
  ) as FactNamed<'training.recorded'>;

describe('oversight buckets', () => {
  it('bucket weeks are ISO weeks: Monday to Monday, UTC, the range widened to whole weeks', () => {
    expect(isoWeekStart('2026-01-01')).toBe('2025-12-29');
    expect(isoWeekStart('2026-10-11')).toBe('2026-10-05');
    expect(isoWeekStart('2026-10-05')).toBe('2026-10-05');
    expect(bucketPeriods('2026-10-07', '2026-10-19', 'week')).toEqual([
      { start: '2026-10-05', end: '2026-10-12' },
      { start: '2026-10-12', end: '2026-10-19' },
      { start: '2026-10-19', end: '2026-10-26' },
    ]);
    expect(bucketPeriods('2026-10-30', '2026-11-01', 'day').map((p) => p.start)).toEqual(['2026-10-30', '2026-10-31', '2026-11-01']);
  });

  it('gives the same buckets however the actions are split into cells and merged (days, parts, order)', () => {
    fc.assert(
      fc.property(fc.array(arbAction, { maxLength: 120 }), fc.integer({ min: 0, max: 120 }), (spec, cut) => {
        const actions = actionsOf(spec);
        const outputs: OversightOutput[] = actions.map((a) => ({
          seq: a.seq - 50,
          outputId: a.outputId,
          deploymentId: DEPLOYMENT,
          site: a.site,
          service: a.service,
          time: a.time,
          recordedAt: a.time,
        }));
        const whole = merged(cellsOf(outputs, actions).values());
        const parts = merged([
          ...cellsOf(outputs.slice(0, cut), actions.slice(0, cut), (e) => e.knownAt ?? '').values(),
          ...cellsOf(outputs.slice(cut), actions.slice(cut).reverse(), (e) => e.knownAt ?? '').values(),
        ]);
        const question = { from: '2026-10-05', to: '2026-11-01', bucket: 'week' as const, incidents: [], policies: [policy({}, 1)] };
        const a = oversightBuckets({ ...question, cells: whole }).map((w) => w.bucket);
        const b = oversightBuckets({ ...question, cells: parts }).map((w) => w.bucket);
        expect(b).toEqual(a);
        expect(a.reduce((n, x) => n + x.actions, 0)).toBe(actions.length);
        for (const x of a) {
          const inBucket = actions.filter((y) => y.time >= x.start && y.time < x.end);
          expect(x.reviewSeconds.p50).toBe(
            nearestRank(
              inBucket.map((y) => y.seconds),
              0.5,
            ) === null
              ? null
              : REVIEW_BIN_EDGES[
                  reviewBin(
                    nearestRank(
                      inBucket.map((y) => y.seconds),
                      0.5,
                    )!,
                  )
                ],
          );
          expect(x.activeProfessionals).toBe(new Set(inBucket.map((y) => y.personId)).size);
          if (inBucket.length > 0)
            expect(x.shareBelowMinimum).toBe(Math.round((inBucket.filter((y) => y.seconds < 60).length / inBucket.length) * 10000) / 10000);
        }
      }),
    );
  });

  it('judges each day against the policy in force for its site and role, the one that took effect last', () => {
    const early = policy({ minimumReviewSeconds: 30 }, 1);
    const later = policy({ minimumReviewSeconds: 90, effectiveFrom: '2026-10-08T12:00:00Z', sites: ['ward-7a'] }, 2);
    const ended = policy({ minimumReviewSeconds: 10, effectiveFrom: '2026-10-01T00:00:00Z', effectiveUntil: '2026-10-02T00:00:00Z' }, 3);
    const all = [early, later, ended];
    expect(policyOnDay(all, '2026-10-07', 'ward-7a', 'doctor')?.seq).toBe(1);
    expect(policyOnDay(all, '2026-10-08', 'ward-7a', 'doctor')?.seq).toBe(2);
    expect(policyOnDay(all, '2026-10-08', 'ward-7b', 'doctor')?.seq).toBe(1);
    expect(policyOnDay(all, '2026-10-01', 'ward-7b', 'doctor')?.seq).toBe(3);
    expect(policyOnDay(all, '2026-10-08', 'ward-7a', 'porter')).toBeUndefined();
    // A policy decided after asOf is not in force for an answer about asOf.
    const backDated = policy({ minimumReviewSeconds: 120, effectiveFrom: '2026-10-01T00:00:00Z' }, 4, '2026-10-20T00:00:00Z');
    expect(policyOnDay([early, backDated], '2026-10-07', 'ward-7a', 'doctor', '2026-10-10T00:00:00Z')?.seq).toBe(1);
    expect(policyOnDay([early, backDated], '2026-10-07', 'ward-7a', 'doctor')?.seq).toBe(4);
  });

  it('states the highest minimum when it differed within a bucket, and counts incidents once per bucket', () => {
    const actions = actionsOf([
      { day: 0, site: 'ward-7a', role: 'doctor', person: 'psn_a00000001', action: 'accepted', seconds: 50 },
      { day: 4, site: 'ward-7a', role: 'doctor', person: 'psn_b00000001', action: 'overridden', seconds: 50 },
    ]);
    const [w] = oversightBuckets({
      from: '2026-10-05',
      to: '2026-10-11',
      bucket: 'week',
      cells: [...cellsOf([], actions).values()],
      incidents: [
        { day: '2026-10-06', incidentId: 'inc-1' },
        { day: '2026-10-06', incidentId: 'inc-1' },
        { day: '2026-10-07', incidentId: 'inc-2' },
      ],
      policies: [policy({ minimumReviewSeconds: 30 }, 1), policy({ minimumReviewSeconds: 60, effectiveFrom: '2026-10-08T00:00:00Z' }, 2)],
    });
    expect(w!.bucket).toMatchObject({
      actions: 2,
      activeProfessionals: 2,
      outputsPerProfessional: 1,
      minimumReviewSeconds: 60,
      minimumVaries: true,
      shareBelowMinimum: 0.5,
      shareAcceptedUnchanged: 0.5,
      shareOverridden: 0.5,
      incidents: 2,
    });
    expect(w!.policySeqs).toEqual([1, 2]);
  });
});

// ---- findings -----------------------------------------------------------------------------------

const scope: OversightQueryScope = { deploymentId: DEPLOYMENT, bucket: 'week', knownAtSeq: 999 };

/** `perWeek[i]`: [actions, professionals, seconds] for week i from 2026-10-05. */
function weeks(perWeek: ReadonlyArray<readonly [number, number, number]>, policies = [policy({}, 1)]) {
  const spec = perWeek.flatMap(([n, people, seconds], w) =>
    Array.from({ length: n }, (_, i) => ({
      day: w * 7 + (i % 7),
      site: 'ward-7a' as const,
      role: 'staff-nurse' as const,
      person: `psn_nurse${String(i % people).padStart(6, '0')}`,
      action: 'accepted' as const,
      seconds,
    })),
  );
  return oversightBuckets({
    from: '2026-10-05',
    to: at(perWeek.length * 7 - 1).slice(0, 10),
    bucket: 'week',
    cells: [...cellsOf([], actionsOf(spec)).values()],
    incidents: [],
    policies,
  });
}

const codes = (f: ReturnType<typeof deriveOversightFindings>) => f.map((x) => x.code);

describe('oversight findings', () => {
  it('finds review times below the minimum in more than the configured share of a bucket, with its evidence', () => {
    const found = deriveOversightFindings(
      weeks([
        [30, 5, 90],
        [30, 5, 45],
      ]),
      [],
      scope,
    );
    expect(codes(found)).toEqual(['OVERSIGHT.REVIEW_BELOW_MINIMUM_SHARE']);
    expect(found[0]).toMatchObject({
      title: 'Review time below the policy minimum in many outputs',
      statement:
        'From 2026-10-12 to 2026-10-18, 100 % of 30 recorded review times were shorter than the policy minimum of 60 s (threshold: more than 20 %).',
      evidence: {
        buckets: [{ start: '2026-10-12T00:00:00.000Z', end: '2026-10-19T00:00:00.000Z' }],
        figures: { actions: 30, shareBelowMinimum: 1, minimumReviewSeconds: 60 },
        query: `/deployments/${DEPLOYMENT}/oversight?from=2026-10-12&to=2026-10-18&bucket=week&knownAt=999`,
        entries: `/deployments/${DEPLOYMENT}/oversight/entries?from=2026-10-12&to=2026-10-18&bucket=week&knownAt=999`,
        seqs: [1],
      },
    });
  });

  it('does not find it at or below the share, or in a bucket with too few actions to judge', () => {
    expect(
      deriveOversightFindings(
        weeks([
          [30, 5, 90],
          [19, 5, 10],
        ]),
        [],
        scope,
      ),
    ).toEqual([]);
    expect(
      deriveOversightFindings(weeks([[30, 5, 90]]), [], { ...scope }, { ...DEFAULT_OVERSIGHT_THRESHOLDS, belowMinimumShare: 1 }),
    ).toEqual([]);
  });

  it('finds review time falling while outputs per professional rise over the window, and not when volume is flat', () => {
    const rising = weeks([
      [30, 5, 90],
      [40, 5, 80],
      [50, 5, 70],
      [60, 5, 62],
    ]);
    const found = deriveOversightFindings(rising, [], scope);
    expect(codes(found)).toEqual(['OVERSIGHT.REVIEW_FALLING_AS_VOLUME_RISES']);
    expect(found[0]!.evidence.figures).toEqual({
      reviewSecondsP50: [90, 80, 70, 62],
      outputsPerProfessional: [6, 8, 10, 12],
      minimumReviewSeconds: [60, 60, 60, 60],
    });
    expect(found[0]!.statement).toBe(
      'From 2026-10-05 to 2026-11-01 (4 buckets), the median review time went from 90 s to 62 s while outputs acted on per active professional went from 6 to 12.',
    );
    expect(
      deriveOversightFindings(
        weeks([
          [30, 5, 90],
          [30, 5, 80],
          [30, 5, 70],
          [30, 5, 62],
        ]),
        [],
        scope,
      ),
    ).toEqual([]);
    expect(
      deriveOversightFindings(
        weeks([
          [30, 5, 90],
          [40, 5, 80],
          [50, 5, 70],
        ]),
        [],
        scope,
      ),
    ).toEqual([]);
  });

  it('finds mandatory use with too few professionals trained, and not when they are', () => {
    const mandatory = [policy({ use: 'mandatory' }, 1)];
    const b = weeks([[30, 5, 90]], mandatory);
    const trained = (n: number) => Array.from({ length: n }, (_, i) => training(`psn_nurse${String(i).padStart(6, '0')}`, 10 + i));
    const found = deriveOversightFindings(b, trained(1), scope);
    expect(codes(found)).toEqual(['OVERSIGHT.MANDATORY_USE_WITHOUT_TRAINING']);
    expect(found[0]!.evidence.figures).toEqual({ professionalsUnderMandatoryUse: 5, withoutTraining: 4, shareWithoutTraining: 0.8 });
    expect(found[0]!.evidence.seqs).toEqual([1, 10]);
    expect(deriveOversightFindings(b, trained(5), scope)).toEqual([]);
    // Training completed after the bucket does not cover it; advisory use is no finding at all.
    expect(codes(deriveOversightFindings(b, [training('psn_nurse000000', 20, '2026-12-01T00:00:00Z')], scope))).toEqual([
      'OVERSIGHT.MANDATORY_USE_WITHOUT_TRAINING',
    ]);
    expect(deriveOversightFindings(weeks([[30, 5, 90]]), [], scope)).toEqual([]);
  });

  it('links re-run the question with its filters and clocks', () => {
    expect(
      oversightLinks(
        {
          ...scope,
          site: 'ward-7a',
          role: 'staff-nurse',
          asOf: '2026-11-01T00:00:00.000Z',
          basePath: '/cases/c1/deployments/d1/oversight',
        },
        '2026-10-05',
        '2026-10-11',
      ),
    ).toEqual({
      query:
        '/cases/c1/deployments/d1/oversight?from=2026-10-05&to=2026-10-11&bucket=week&site=ward-7a&role=staff-nurse&asOf=2026-11-01T00%3A00%3A00.000Z&knownAt=999',
      entries:
        '/cases/c1/deployments/d1/oversight/entries?from=2026-10-05&to=2026-10-11&bucket=week&site=ward-7a&role=staff-nurse&asOf=2026-11-01T00%3A00%3A00.000Z&knownAt=999',
    });
  });
});
