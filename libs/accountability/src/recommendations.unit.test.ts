import { toBinaryMessage } from '@aal/contracts';
import { makeEvent } from '@aal/testing';
import { randomUUID } from 'node:crypto';
import type { Fact } from './fact';
import { factKeys, patternKey } from './fact';
import { caseRecommendations, recommendationsDifference, recommendationsRecomputation } from './recommendations';
import { asFact } from './testing/as-fact';
import { ids, t } from './testing/chain-fixture';

const investigator = { organisationId: 'hsib', personId: 'psn_investigator01', role: 'investigator' };
const vendorOfficer = { organisationId: 'acme-ai', personId: 'psn_acmesafety01', role: 'vendor-safety-officer' };
const vendor = { party: 'vendor', organisationId: 'acme-ai' } as const;
const employer = { party: 'employer', organisationId: 'st-swithins' } as const;

interface CaseRef {
  readonly caseId: string;
  readonly incidentId?: string;
}
const aCase = (incident = true): CaseRef => ({ caseId: randomUUID(), ...(incident ? { incidentId: randomUUID() } : {}) });

function recorded(
  c: CaseRef,
  options: { time: string; dueBy: string; addressee?: typeof vendor | typeof employer; arisesFrom?: Record<string, unknown> },
) {
  return makeEvent(
    'recommendation.recorded',
    {
      caseId: c.caseId,
      organisationId: 'hsib',
      ...(c.incidentId ? { incidentId: c.incidentId } : {}),
      recommendationId: randomUUID(),
      addressee: options.addressee ?? vendor,
      recommendation: 'Show the alert threshold beside each sepsis score.',
      dueBy: options.dueBy,
      ...(options.arisesFrom ? { arisesFrom: options.arisesFrom } : {}),
      actor: investigator,
    },
    { time: options.time },
  );
}

function response(rec: ReturnType<typeof recorded>, kind: 'accepted' | 'completed' | 'rejected', time: string) {
  const d = rec.data as { caseId: string; recommendationId: string; addressee: unknown };
  const own =
    kind === 'accepted' ? { plan: 'Release 2.4 adds it.' } : kind === 'completed' ? { reference: 'CR-2291' } : { reasons: 'Out of scope.' };
  return makeEvent(
    `recommendation.${kind}`,
    {
      caseId: d.caseId,
      organisationId: 'hsib',
      recommendationId: d.recommendationId,
      addressee: d.addressee,
      ...own,
      actor: vendorOfficer,
    },
    { time },
  );
}

const facts = (...events: ReturnType<typeof makeEvent>[]): Fact[] => events.map((e, i) => asFact(e, i, e.time));
const codes = (a: ReturnType<typeof caseRecommendations>) => a.findings.map((f) => f.code);
const onVersion = { findingCodes: ['REVIEW.BELOW_POLICY_MINIMUM'], versionId: ids.versionId };

describe("a case's recommendations", () => {
  const c = aCase();

  it('states each recommendation with its responses by asOf, and the status the last one gives', () => {
    const rec = recorded(c, { time: t(0), dueBy: t(600) });
    const all = facts(rec, response(rec, 'accepted', t(10)), response(rec, 'completed', t(500)));
    const before = caseRecommendations(c.caseId, all, { asOf: t(100) });
    expect(before.recommendations[0]).toMatchObject({
      status: 'accepted',
      evidence: [0],
      responses: [{ response: 'accepted', plan: 'Release 2.4 adds it.', evidence: [1] }],
    });
    const after = caseRecommendations(c.caseId, all, { asOf: t(700) });
    expect(after.recommendations[0]).toMatchObject({ status: 'completed' });
    expect(after.recommendations[0]!.responses.map((r) => r.response)).toEqual(['accepted', 'completed']);
    expect(after.findings).toEqual([]);
  });

  describe('RECOMMENDATION.OVERDUE', () => {
    it('is found once asOf is past the due date with no completion or rejection; an acceptance does not close it', () => {
      const rec = recorded(c, { time: t(0), dueBy: t(600) });
      const all = facts(rec, response(rec, 'accepted', t(10)));
      expect(codes(caseRecommendations(c.caseId, all, { asOf: t(600) }))).toEqual([]);
      const a = caseRecommendations(c.caseId, all, { asOf: t(601) });
      expect(codes(a)).toEqual(['RECOMMENDATION.OVERDUE']);
      expect(a.findings[0]).toMatchObject({ evidence: [0, 1], details: { dueBy: t(600), status: 'accepted' } });
      expect(a.findings[0]!.statement).toBe(
        `Recommendation ${(rec.data as { recommendationId: string }).recommendationId} to the vendor acme-ai was due by ${t(600)}; by ${t(601)} the ledger records neither its completion nor its rejection (status accepted).`,
      );
    });

    it('is not found when it was completed or rejected by the due date', () => {
      for (const kind of ['completed', 'rejected'] as const) {
        const rec = recorded(c, { time: t(0), dueBy: t(600) });
        expect(codes(caseRecommendations(c.caseId, facts(rec, response(rec, kind, t(599))), { asOf: t(10_000) }))).toEqual([]);
      }
    });

    it('names a completion made after the due date with its time', () => {
      const rec = recorded(c, { time: t(0), dueBy: t(600) });
      const a = caseRecommendations(c.caseId, facts(rec, response(rec, 'completed', t(900))), { asOf: t(1000) });
      expect(a.findings[0]).toMatchObject({
        code: 'RECOMMENDATION.OVERDUE',
        evidence: [0, 1],
        details: { closedAt: t(900), status: 'completed' },
      });
      expect(a.findings[0]!.statement).toContain(`it was completed at ${t(900)}, after that.`);
    });
  });

  describe('PATTERN.RECURRING_FINDING', () => {
    it('is found when recommendations about two different incidents link the same finding on the same version', () => {
      const other = aCase();
      const ours = recorded(c, { time: t(20), dueBy: t(6000), arisesFrom: onVersion });
      const theirs = recorded(other, { time: t(0), dueBy: t(6000), addressee: employer, arisesFrom: onVersion });
      const a = caseRecommendations(c.caseId, facts(theirs, ours), { asOf: t(30) });
      expect(codes(a)).toEqual(['PATTERN.RECURRING_FINDING']);
      expect(a.findings[0]).toMatchObject({
        evidence: [0, 1],
        details: { findingCode: 'REVIEW.BELOW_POLICY_MINIMUM', on: 'version', id: ids.versionId, occurrences: 2, threshold: 2 },
      });
      // The other case's recommendation is not this case's.
      expect(a.recommendations).toHaveLength(1);
    });

    it('is not found for two cases about one incident, for another finding or another version, or below a raised threshold', () => {
      const sameIncident = { caseId: randomUUID(), incidentId: c.incidentId! };
      const ours = recorded(c, { time: t(20), dueBy: t(6000), arisesFrom: onVersion });
      const cases = [
        recorded(sameIncident, { time: t(0), dueBy: t(6000), arisesFrom: onVersion }),
        recorded(aCase(), { time: t(0), dueBy: t(6000), arisesFrom: { ...onVersion, findingCodes: ['ACTION.OVERRIDDEN'] } }),
        recorded(aCase(), { time: t(0), dueBy: t(6000), arisesFrom: { ...onVersion, versionId: randomUUID() } }),
      ];
      for (const theirs of cases) expect(codes(caseRecommendations(c.caseId, facts(theirs, ours), { asOf: t(30) }))).toEqual([]);
      const twoIncidents = facts(recorded(aCase(false), { time: t(0), dueBy: t(6000), arisesFrom: onVersion }), ours);
      expect(codes(caseRecommendations(c.caseId, twoIncidents, { asOf: t(30) }))).toEqual(['PATTERN.RECURRING_FINDING']);
      expect(codes(caseRecommendations(c.caseId, twoIncidents, { asOf: t(30), recurringPatternIncidents: 3 }))).toEqual([]);
    });

    it('counts only links made by asOf', () => {
      const ours = recorded(c, { time: t(20), dueBy: t(6000), arisesFrom: onVersion });
      const later = recorded(aCase(), { time: t(40), dueBy: t(6000), arisesFrom: onVersion });
      expect(codes(caseRecommendations(c.caseId, facts(ours, later), { asOf: t(30) }))).toEqual([]);
    });

    it('keys each link by its finding code on its version and deployment, never by a subject an output answer reads', () => {
      const fact = facts(recorded(c, { time: t(0), dueBy: t(60), arisesFrom: { ...onVersion, deploymentId: ids.deploymentId } }))[0]!;
      expect(factKeys(fact)).toEqual([
        fact.subject,
        patternKey({ findingCode: 'REVIEW.BELOW_POLICY_MINIMUM', on: 'version', id: ids.versionId }),
        patternKey({ findingCode: 'REVIEW.BELOW_POLICY_MINIMUM', on: 'deployment', id: ids.deploymentId }),
      ]);
    });
  });

  it('shows an addressee only the recommendations addressed to it, and their findings', () => {
    const toVendor = recorded(c, { time: t(0), dueBy: t(60) });
    const toEmployer = recorded(c, { time: t(0), dueBy: t(60), addressee: employer });
    const a = caseRecommendations(c.caseId, facts(toVendor, toEmployer), { asOf: t(100), addressee: 'st-swithins' });
    expect(a.recommendations.map((r) => r.addressee)).toEqual([employer]);
    expect(a.findings.map((f) => f.evidence)).toEqual([[1]]);
  });

  it('recomputes a stated answer and names the first place it departs', () => {
    const rec = recorded(c, { time: t(0), dueBy: t(60) });
    const all = facts(rec);
    const stated = JSON.parse(JSON.stringify(caseRecommendations(c.caseId, all, { asOf: t(100) })));
    expect(recommendationsDifference(stated, c.caseId, all)).toBeNull();
    stated.recommendations[0].status = 'completed';
    expect(recommendationsDifference(stated, c.caseId, all)).toEqual({
      pointer: '/recommendations/0/status',
      recomputed: 'recorded',
      stated: 'completed',
    });
    stated.findings = [];
    stated.recommendations[0].status = 'recorded';
    expect(recommendationsDifference(stated, c.caseId, all)?.pointer).toBe('/findings/0');
  });

  it('recomputes a stated answer from raw entries as the investigator page does, counting what it read', () => {
    const rec = recorded(c, { time: t(0), dueBy: t(60) });
    const raw = [rec, response(rec, 'accepted', t(10))].map((e, seq) => {
      const m = toBinaryMessage(e);
      return { seq, recordedAt: e.time, headers: m.headers, value: new TextEncoder().encode(m.value) };
    });
    const stated = JSON.parse(
      JSON.stringify(caseRecommendations(c.caseId, facts(rec, response(rec, 'accepted', t(10))), { asOf: t(100) })),
    );
    expect(recommendationsRecomputation(stated, c.caseId, raw)).toEqual({ entries: 2, recommendations: 1, difference: null });
    stated.recommendations[0].status = 'recorded';
    expect(recommendationsRecomputation(stated, c.caseId, raw).difference).toEqual({
      pointer: '/recommendations/0/status',
      recomputed: 'accepted',
      stated: 'recorded',
    });
  });
});
