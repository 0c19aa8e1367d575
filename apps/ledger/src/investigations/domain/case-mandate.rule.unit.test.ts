import { DomainError } from '@aal/domain';
import { deciderSpec, thrownBy } from '@aal/testing/unit';
import { caseBasis, type ScopeRecord } from './case-mandate.rule';
import { mandateDecider, type MandateCommand, type MandateState } from './mandate.decider';

const INCIDENT = '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d';
const OTHER_INCIDENT = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';
const at = '2026-11-03T10:00:00.000Z';
const hospital = 'st-swithins';

/** A mandate in the state its decider leaves it in. */
function mandate(id: string, change: Partial<Extract<MandateCommand, { kind: 'GrantMandate' }>> = {}): MandateState {
  const command: MandateCommand = {
    kind: 'GrantMandate',
    mandateId: id,
    mandateKind: 'incident-referral',
    investigatingOrganisationId: 'hsib',
    scope: { kind: 'incident', incidentId: INCIDENT },
    reference: 'Referral SW-2026-117',
    owners: {
      incident: { incidentId: (change.scope as { incidentId?: string } | undefined)?.incidentId ?? INCIDENT, organisationId: hospital },
      outputs: [{ outputId: 'out-1', organisationId: hospital }],
    },
    actor: { organisationId: hospital, personId: 'psn_sw_dpo_00001', role: 'data-controller' },
    occurredAt: '2026-11-01T00:00:00.000Z',
    ...change,
  };
  return deciderSpec(mandateDecider).given().when(command).decided().state;
}
const M1 = '11111111-1111-4111-8111-111111111111';
const M2 = '22222222-2222-4222-8222-222222222222';

const incidentCase: ScopeRecord[] = [
  { kind: 'incident', id: INCIDENT, organisationId: hospital },
  { kind: 'output', id: 'out-1', organisationId: hospital, incidentIds: [INCIDENT] },
];
const outputCase = (incidentIds: string[] = []): ScopeRecord[] => [{ kind: 'output', id: 'out-1', organisationId: hospital, incidentIds }];
const basis = (records: readonly ScopeRecord[], mandates: readonly MandateState[], investigatingOrganisationId = 'hsib', when = at) =>
  caseBasis({ investigatingOrganisationId, records, mandates, at: when });

describe('case mandate rule', () => {
  it("given no mandate, when an investigator opens a case on another organisation's incident, then CASE.NO_MANDATE names every record and the kinds that would give one", () => {
    const error = thrownBy(DomainError, () => basis(incidentCase, []));
    expect(error).toMatchObject({ code: 'CASE.NO_MANDATE', kind: 'forbidden' });
    expect(error.context['uncovered']).toEqual([
      { kind: 'incident', id: INCIDENT, organisationId: hospital },
      { kind: 'output', id: 'out-1', organisationId: hospital },
    ]);
    expect(error.detail).toContain(
      `no mandate in force lets hsib investigate incident ${INCIDENT} of ${hospital}, output out-1 of ${hospital}`,
    );
    expect(error.detail).toMatch(/incident-referral.*data-controller-grant.*regulator-mandate/);
  });

  it('given a referral of the incident, then the incident and the outputs it names are covered, as a case on the incident or on the output', () => {
    expect(basis(incidentCase, [mandate(M1)])).toEqual([{ organisationId: hospital, by: 'mandate', mandateIds: [M1] }]);
    expect(basis(outputCase([INCIDENT]), [mandate(M1)])).toEqual([{ organisationId: hospital, by: 'mandate', mandateIds: [M1] }]);
  });

  it('given a referral of another incident, or a grant of another output, then this output is not covered', () => {
    expect(
      thrownBy(DomainError, () => basis(outputCase([INCIDENT]), [mandate(M1, { scope: { kind: 'incident', incidentId: OTHER_INCIDENT } })]))
        .code,
    ).toBe('CASE.NO_MANDATE');
    const otherOutput = mandate(M2, {
      mandateKind: 'data-controller-grant',
      scope: { kind: 'outputs', outputIds: ['out-2'] },
      owners: { outputs: [{ outputId: 'out-2', organisationId: hospital }] },
    });
    expect(thrownBy(DomainError, () => basis(outputCase(), [otherOutput])).code).toBe('CASE.NO_MANDATE');
  });

  it('given a mandate to another investigating organisation, then it does not cover this one', () => {
    expect(
      thrownBy(DomainError, () => basis(incidentCase, [mandate(M1, { investigatingOrganisationId: 'other-investigations' })])).code,
    ).toBe('CASE.NO_MANDATE');
  });

  it('given a mandate past its until, or revoked, then it gives no new case', () => {
    const expiring = mandate(M1, { until: '2026-11-02T00:00:00.000Z' });
    expect(thrownBy(DomainError, () => basis(incidentCase, [expiring])).code).toBe('CASE.NO_MANDATE');
    expect(basis(incidentCase, [expiring], 'hsib', '2026-11-01T12:00:00.000Z')).toHaveLength(1);
    const granted = mandate(M1);
    const revoked = mandateDecider.evolve(granted, {
      name: 'mandate.revoked',
      occurredAt: at,
      data: {
        mandateId: M1,
        organisationId: hospital,
        actor: { organisationId: hospital, personId: 'psn_sw_dpo_00001', role: 'data-controller' },
      },
    });
    expect(thrownBy(DomainError, () => basis(incidentCase, [revoked])).code).toBe('CASE.NO_MANDATE');
  });

  it("given a regulator's organisation-wide mandate, then every record of that organisation is covered, and no other organisation's", () => {
    const regulator = { organisationId: 'care-regulator', personId: 'psn_reg_000000001', role: 'regulator' };
    const wide = mandate(M1, {
      mandateKind: 'regulator-mandate',
      scope: { kind: 'organisation' },
      organisationId: hospital,
      owners: { outputs: [] },
      actor: regulator,
    });
    expect(basis(incidentCase, [wide])).toEqual([{ organisationId: hospital, by: 'mandate', mandateIds: [M1] }]);
    const elsewhere: ScopeRecord[] = [{ kind: 'output', id: 'out-9', organisationId: 'other-hospital', incidentIds: [] }];
    expect(thrownBy(DomainError, () => basis(elsewhere, [wide])).code).toBe('CASE.NO_MANDATE');
  });

  it("given the investigator's own organisation's records, then no mandate is needed (basis own-organisation); mixed with others', each has its basis", () => {
    expect(basis(incidentCase, [], hospital)).toEqual([{ organisationId: hospital, by: 'own-organisation' }]);
    const mixed: ScopeRecord[] = [...outputCase([INCIDENT]), { kind: 'output', id: 'out-h', organisationId: 'hsib', incidentIds: [] }];
    expect(basis(mixed, [mandate(M1)])).toEqual([
      { organisationId: hospital, by: 'mandate', mandateIds: [M1] },
      { organisationId: 'hsib', by: 'own-organisation' },
    ]);
  });

  it('given a record the ledger does not hold, then it is not found rather than unmandated', () => {
    expect(thrownBy(DomainError, () => basis([{ kind: 'incident', id: INCIDENT, organisationId: null }], [])).code).toBe(
      'INCIDENT.NOT_FOUND',
    );
    expect(thrownBy(DomainError, () => basis([{ kind: 'output', id: 'out-x', organisationId: null, incidentIds: [] }], [])).code).toBe(
      'OUTPUT.NOT_FOUND',
    );
  });
});
