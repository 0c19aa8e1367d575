import type { Actor } from '@aal/contracts';
import { deciderSpec } from '@aal/testing/unit';
import { inForce, mandateDecider, type MandateCommand } from './mandate.decider';

const MANDATE = '5e0d9c8b-7a6f-4e5d-8c4b-3a2f1e0d9c8b';
const INCIDENT = '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d';
const occurredAt = '2026-11-03T10:00:00.000Z';
const safetyOfficer: Actor = { organisationId: 'st-swithins', personId: 'psn_sw_cso_00001', role: 'employer-approver' };
const dataController: Actor = { organisationId: 'st-swithins', personId: 'psn_sw_dpo_00001', role: 'data-controller' };
const otherDataController: Actor = { organisationId: 'other-hospital', personId: 'psn_oh_dpo_00001', role: 'data-controller' };
const regulator: Actor = { organisationId: 'care-regulator', personId: 'psn_reg_000000001', role: 'regulator' };
const ownIncident = { incident: { incidentId: INCIDENT, organisationId: 'st-swithins' }, outputs: [] };

const { given } = deciderSpec(mandateDecider);
const referral = (change: Partial<Extract<MandateCommand, { kind: 'GrantMandate' }>> = {}): MandateCommand => ({
  kind: 'GrantMandate',
  mandateId: MANDATE,
  mandateKind: 'incident-referral',
  investigatingOrganisationId: 'hsib',
  scope: { kind: 'incident', incidentId: INCIDENT },
  reference: 'Referral SW-2026-117',
  owners: ownIncident,
  actor: safetyOfficer,
  occurredAt,
  ...change,
});

describe('mandate decider', () => {
  it('given its own incident, when the clinical safety officer refers it to an investigating body, then mandate.granted records who, to whom and over what', () => {
    given()
      .when(referral())
      .then([
        {
          name: 'mandate.granted',
          occurredAt,
          data: {
            mandateId: MANDATE,
            kind: 'incident-referral',
            organisationId: 'st-swithins',
            grantingOrganisationId: 'st-swithins',
            investigatingOrganisationId: 'hsib',
            scope: { kind: 'incident', incidentId: INCIDENT },
            reference: 'Referral SW-2026-117',
            actor: safetyOfficer,
          },
        },
      ]);
  });

  it("given another organisation's incident, when it is referred, then it is refused: a referral is of one's own records", () => {
    const error = given()
      .when(referral({ owners: { incident: { incidentId: INCIDENT, organisationId: 'other-hospital' }, outputs: [] } }))
      .thenRefuses('MANDATE.NOT_OWN_RECORDS');
    expect(error).toMatchObject({ kind: 'forbidden' });
    expect(error.detail).toContain(`incident ${INCIDENT} belongs to other-hospital`);
  });

  it('given an incident the ledger does not hold, when it is referred, then it is not found', () => {
    expect(
      given()
        .when(referral({ owners: { incident: { incidentId: INCIDENT, organisationId: null }, outputs: [] } }))
        .thenRefuses('INCIDENT.NOT_FOUND'),
    ).toMatchObject({ kind: 'not-found' });
  });

  it("given named outputs, when a data controller grants access, then only if every output is its organisation's", () => {
    const outputs = (owner: string) => ({
      outputs: [
        { outputId: 'out-1', organisationId: 'st-swithins' },
        { outputId: 'out-2', organisationId: owner },
      ],
    });
    const grant = (owners: ReturnType<typeof outputs>) =>
      referral({
        mandateKind: 'data-controller-grant',
        scope: { kind: 'outputs', outputIds: ['out-1', 'out-2'] },
        owners,
        actor: dataController,
      });
    expect(
      given()
        .when(grant(outputs('st-swithins')))
        .decided().events[0]!.data,
    ).toMatchObject({ kind: 'data-controller-grant', organisationId: 'st-swithins' });
    given()
      .when(grant(outputs('other-hospital')))
      .thenRefuses('MANDATE.NOT_OWN_RECORDS');
    given()
      .when(grant({ outputs: [{ outputId: 'out-1', organisationId: null }] } as never))
      .thenRefuses('OUTPUT.NOT_FOUND');
  });

  it.each<[string, Partial<Extract<MandateCommand, { kind: 'GrantMandate' }>>, string]>([
    ['a data-controller-grant by the clinical safety officer', { mandateKind: 'data-controller-grant' }, 'MANDATE.ROLE_NOT_ALLOWED'],
    ['a regulator-mandate by a data controller', { mandateKind: 'regulator-mandate', actor: dataController }, 'MANDATE.ROLE_NOT_ALLOWED'],
    ['a referral of named outputs', { scope: { kind: 'outputs', outputIds: ['out-1'] } }, 'MANDATE.SCOPE_NOT_ALLOWED'],
    [
      'an organisation-wide data-controller-grant',
      { mandateKind: 'data-controller-grant', scope: { kind: 'organisation' }, actor: dataController },
      'MANDATE.SCOPE_NOT_ALLOWED',
    ],
    ['an until already passed', { until: '2026-11-03T09:59:59.000Z' }, 'MANDATE.UNTIL_PASSED'],
    ['a referral to the organisation itself', { investigatingOrganisationId: 'st-swithins' }, 'MANDATE.OWN_RECORDS'],
  ])('given %s, then it is refused', (_what, change, code) => {
    given().when(referral(change)).thenRefuses(code);
  });

  it('given any organisation, when a regulator mandates an investigating body (even itself) over all its records until a date, then it is granted', () => {
    const {
      events: [event],
    } = given()
      .when(
        referral({
          mandateKind: 'regulator-mandate',
          scope: { kind: 'organisation' },
          organisationId: 'other-hospital',
          investigatingOrganisationId: 'care-regulator',
          until: '2027-01-01T00:00:00.000Z',
          owners: { outputs: [] },
          actor: regulator,
        }),
      )
      .decided();
    expect(event!.data).toMatchObject({
      kind: 'regulator-mandate',
      organisationId: 'other-hospital',
      grantingOrganisationId: 'care-regulator',
      investigatingOrganisationId: 'care-regulator',
      until: '2027-01-01T00:00:00.000Z',
    });
    given()
      .when(referral({ mandateKind: 'regulator-mandate', scope: { kind: 'organisation' }, owners: { outputs: [] }, actor: regulator }))
      .thenRefuses('MANDATE.ORGANISATION_REQUIRED');
    given()
      .when(referral({ mandateKind: 'regulator-mandate', organisationId: 'other-hospital', actor: regulator }))
      .thenRefuses('MANDATE.ORGANISATION_MISMATCH');
  });

  it('given a granted mandate, then it is in force until its until; when its granter revokes it, then it is not', () => {
    const granted = given()
      .when(referral({ until: '2026-12-01T00:00:00.000Z' }))
      .decided();
    expect(inForce(granted.state, occurredAt)).toBe(true);
    expect(inForce(granted.state, '2026-12-01T00:00:00.000Z')).toBe(false);
    const {
      events: [revoked],
    } = given(...granted.events)
      .when({ kind: 'RevokeMandate', mandateId: MANDATE, reason: 'Investigation withdrawn.', actor: dataController, occurredAt })
      .then([
        {
          name: 'mandate.revoked',
          occurredAt,
          data: { mandateId: MANDATE, organisationId: 'st-swithins', reason: 'Investigation withdrawn.', actor: dataController },
        },
      ]);
    const history = [...given().when(referral()).decided().events, revoked!];
    const { state } = given(...history);
    expect(state).toMatchObject({ status: 'revoked', revokedBy: dataController });
    expect(inForce(state, occurredAt)).toBe(false);
    given(...history)
      .when({ kind: 'RevokeMandate', mandateId: MANDATE, actor: dataController, occurredAt })
      .thenRefuses('MANDATE.REVOKED');
  });

  it('given a mandate, when someone of another organisation (or a role that cannot grant it) revokes it, then it is refused', () => {
    const { events: granted } = given().when(referral()).decided();
    given(...granted)
      .when({ kind: 'RevokeMandate', mandateId: MANDATE, actor: otherDataController, occurredAt })
      .thenRefuses('MANDATE.ACCESS_DENIED');
    given(...granted)
      .when({ kind: 'RevokeMandate', mandateId: MANDATE, actor: { ...safetyOfficer, role: 'employer-requester' }, occurredAt })
      .thenRefuses('MANDATE.ACCESS_DENIED');
    given().when({ kind: 'RevokeMandate', mandateId: MANDATE, actor: safetyOfficer, occurredAt }).thenRefuses('MANDATE.NOT_FOUND');
  });
});
