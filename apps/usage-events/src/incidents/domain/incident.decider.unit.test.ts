import { deciderSpec } from '@aal/testing/unit';
import { at, clinicalSystem } from '../../testing/usage.factories';
import { incidentDecider } from './incident.decider';
import type { IncidentCommand, IncidentEvent, IncidentFacts } from './incident.types';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const { given } = deciderSpec(incidentDecider);

const facts: IncidentFacts = {
  incidentId: '7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918',
  organisationId: clinicalSystem.organisationId,
  outputIds: ['out-sepsis-0001', 'out-sepsis-0002'],
  harmReference: 'LFPSE:W123456',
  severity: 'moderate',
  actor: clinicalSystem,
};
const report = (occurredAt = at(NOW, -120)): IncidentCommand => ({ kind: 'ReportIncident', facts, occurredAt, receivedAt: at(NOW) });
const reported: IncidentEvent = { name: 'incident.reported', data: facts, occurredAt: at(NOW, -120) };

describe('incident decider', () => {
  it('records an incident involving outputs', () => {
    given().when(report()).then([reported]);
  });

  it('refuses an incident dated more than 5 minutes ahead of the service clock', () => {
    given()
      .when(report(at(NOW, 6)))
      .thenRefuses('USAGE.OCCURRED_IN_FUTURE');
  });

  it('accepts outputs it reported itself and outputs this service does not know', () => {
    given()
      .when({ ...report(), outputOwners: { 'out-sepsis-0001': clinicalSystem.organisationId } })
      .then([reported]);
  });

  it('refuses an incident naming an output another organisation reported', () => {
    given()
      .when({ ...report(), outputOwners: { 'out-sepsis-0001': clinicalSystem.organisationId, 'out-sepsis-0002': 'other-trust' } })
      .thenRefuses('INCIDENT.FOREIGN_OUTPUT');
  });

  it('refuses to report the same incident twice', () => {
    given(reported).when(report()).thenRefuses('INCIDENT.ALREADY_REPORTED');
  });

  it('evolves into the incident as reported, with when it happened and who reported it', () => {
    expect(given(reported).state).toEqual({
      status: 'reported',
      incidentId: facts.incidentId,
      organisationId: clinicalSystem.organisationId,
      outputIds: facts.outputIds,
      harmReference: 'LFPSE:W123456',
      severity: 'moderate',
      occurredAt: at(NOW, -120),
      reportedBy: clinicalSystem,
    });
  });
});
