import type { Actor } from '@aal/contracts';
import { deciderSpec } from '@aal/testing/unit';
import { caseDecider, type CaseCommand, type CaseEvent } from './case.decider';
import type { RecommendationResponse } from './recommendation.rule';

// Safety recommendations on a case: recorded by its investigators, answered by the addressee.
const CASE = '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab';
const INCIDENT = '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d';
const REC = '7c1d2e3f-4a5b-4c6d-8e7f-0123456789cd';
const VERSION = '9a1c2e37-7d4b-4f1a-8c55-0e2b3f4a5b61';
const investigator: Actor = { organisationId: 'hsib', personId: 'psn_investigator01', role: 'investigator' };
const stranger: Actor = { organisationId: 'hsib', personId: 'psn_someoneelse01', role: 'investigator' };
const vendorOfficer: Actor = { organisationId: 'acme-ai', personId: 'psn_acmesafety01', role: 'vendor-safety-officer' };
const vendorAdmin: Actor = { organisationId: 'acme-ai', personId: 'psn_acmeadmin001', role: 'vendor-admin' };
const otherVendor: Actor = { organisationId: 'other-ai', personId: 'psn_othersafety1', role: 'vendor-safety-officer' };
const occurredAt = '2026-11-03T10:00:00.000Z';
const later = '2026-11-04T10:00:00.000Z';

const { given } = deciderSpec(caseDecider);

const history = (): CaseEvent[] => [
  {
    name: 'case.opened',
    occurredAt,
    data: {
      caseId: CASE,
      organisationId: 'hsib',
      title: 'Missed sepsis alert, ward 7A',
      incidentId: INCIDENT,
      openedAgainst: { treeSize: 12, rootHash: 'ab'.repeat(32) },
      basis: [{ organisationId: 'hsib', by: 'own-organisation' }],
      actor: investigator,
    },
  },
];
const record = (change: Partial<Extract<CaseCommand, { kind: 'RecordRecommendation' }>> = {}): CaseCommand => ({
  kind: 'RecordRecommendation',
  caseId: CASE,
  recommendationId: REC,
  addressee: { party: 'vendor', organisationId: 'acme-ai' },
  recommendation: 'Show the alert threshold beside each sepsis score.',
  dueBy: '2027-02-01T00:00:00.000Z',
  arisesFrom: { findingCodes: ['REVIEW.BELOW_POLICY_MINIMUM'], versionId: VERSION },
  actor: investigator,
  occurredAt,
  ...change,
});
const respond = (response: RecommendationResponse, actor: Actor = vendorOfficer): CaseCommand => ({
  kind: 'RespondToRecommendation',
  caseId: CASE,
  recommendationId: REC,
  response,
  actor,
  occurredAt: later,
});
const recorded = () =>
  given(...history())
    .when(record())
    .decided().events[0]!;
const accept: RecommendationResponse = { kind: 'accepted', plan: 'Release 2.4 shows it.' };

describe('case decider: safety recommendations', () => {
  it("given an open case, when an investigator records a recommendation, then it names the case's incident, the addressee and the due date", () => {
    given(...history())
      .when(record())
      .then([
        {
          name: 'recommendation.recorded',
          occurredAt,
          data: {
            caseId: CASE,
            organisationId: 'hsib',
            incidentId: INCIDENT,
            recommendationId: REC,
            addressee: { party: 'vendor', organisationId: 'acme-ai' },
            recommendation: 'Show the alert threshold beside each sepsis score.',
            dueBy: '2027-02-01T00:00:00.000Z',
            arisesFrom: { findingCodes: ['REVIEW.BELOW_POLICY_MINIMUM'], versionId: VERSION },
            actor: investigator,
          },
        },
      ]);
  });

  it.each<[string, Partial<Extract<CaseCommand, { kind: 'RecordRecommendation' }>>, string]>([
    ['a due date not after now', { dueBy: occurredAt }, 'RECOMMENDATION.DUE_IN_PAST'],
    [
      'a finding code the ledger does not define',
      { arisesFrom: { findingCodes: ['REVIEW.TOO_FAST'], versionId: VERSION } },
      'RECOMMENDATION.UNKNOWN_FINDING_CODE',
    ],
    [
      'finding codes on neither a version nor a deployment',
      { arisesFrom: { findingCodes: ['ACTION.OVERRIDDEN'] } },
      'RECOMMENDATION.ARISES_FROM_INCOMPLETE',
    ],
    ['someone not an investigator of the case', { actor: stranger }, 'CASE.ACCESS_DENIED'],
    ['an unknown case', { caseId: '00000000-0000-4000-8000-000000000000' }, 'CASE.NOT_FOUND'],
  ])('given an open case, when a recommendation is recorded with %s, then it is refused', (_what, change, code) => {
    const events = change.caseId ? [] : history();
    given(...events)
      .when(record(change))
      .thenRefuses(code);
  });

  it('given a closed case, when a recommendation is recorded, then it is refused', () => {
    given(...history(), { name: 'case.closed', occurredAt, data: { caseId: CASE, organisationId: 'hsib', actor: investigator } })
      .when(record())
      .thenRefuses('CASE.CLOSED');
  });

  it("given a recorded recommendation, when the vendor's safety officer accepts and then completes it, then each is an event and the status follows", () => {
    const accepted = given(...history(), recorded())
      .when(respond(accept))
      .decided();
    expect(accepted.events[0]).toMatchObject({
      name: 'recommendation.accepted',
      data: { plan: 'Release 2.4 shows it.', actor: vendorOfficer },
    });
    const completed = given(...history(), recorded(), ...accepted.events)
      .when(respond({ kind: 'completed', reference: 'CR-2291' }))
      .decided();
    expect(completed.state).toMatchObject({ recommendations: [{ recommendationId: REC, status: 'completed' }] });
  });

  it('given a case that closed after the recommendation, when the addressee responds, then the response is still recorded', () => {
    const closed: CaseEvent = { name: 'case.closed', occurredAt, data: { caseId: CASE, organisationId: 'hsib', actor: investigator } };
    expect(
      given(...history(), recorded(), closed)
        .when(respond(accept))
        .decided().events,
    ).toHaveLength(1);
  });

  it.each<[string, () => CaseEvent[], CaseCommand, string]>([
    ['another organisation', () => [recorded()], respond(accept, otherVendor), 'RECOMMENDATION.NOT_ADDRESSEE'],
    [
      "the addressee's staff in a role that does not respond for a vendor",
      () => [recorded()],
      respond(accept, vendorAdmin),
      'RECOMMENDATION.ROLE_NOT_RESPONDENT',
    ],
    ['an investigator of the case', () => [recorded()], respond(accept, investigator), 'RECOMMENDATION.NOT_ADDRESSEE'],
    ['a second acceptance', () => [recorded(), { ...accepted(), occurredAt: later }], respond(accept), 'RECOMMENDATION.ALREADY_ACCEPTED'],
    [
      'a response after rejection',
      () => [recorded(), rejected()],
      respond({ kind: 'completed', reference: 'CR-1' }),
      'RECOMMENDATION.CLOSED',
    ],
    ['a recommendation the case does not have', () => [], respond(accept), 'RECOMMENDATION.NOT_FOUND'],
  ])('given a recorded recommendation, when %s responds, then it is refused', (_what, events, command, code) => {
    given(...history(), ...events())
      .when(command)
      .thenRefuses(code);
  });
});

function accepted(): CaseEvent {
  return given(...history(), recorded())
    .when(respond(accept))
    .decided().events[0]!;
}

function rejected(): CaseEvent {
  return given(...history(), recorded())
    .when(respond({ kind: 'rejected', reasons: 'Out of scope.' }))
    .decided().events[0]!;
}
