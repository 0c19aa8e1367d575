import { actors, eventually, makeEvent, outputChainEvents, outputChainIds, type HttpResult } from '@aal/testing';
import type { Actor, CloudEvent } from '@aal/contracts';
import { randomUUID } from 'node:crypto';

/** Investigators as the token carries them: pseudonyms per organisation, role `investigator`. */
export const investigators = {
  lead: { organisationId: 'hsib', personId: 'psn_investigator01', role: 'investigator' },
  regulator: { organisationId: 'cqc', personId: 'psn_regulator0001', role: 'investigator' },
  stranger: { organisationId: 'hsib', personId: 'psn_someoneelse01', role: 'investigator' },
} as const;

/** People who give mandates: the scenario hospital's, another hospital's, and a regulator's. */
export const grantors = {
  safetyOfficer: { ...actors.safetyOfficer },
  dataController: { organisationId: 'st-swithins', personId: 'psn_sw_dpo_00001', role: 'data-controller' },
  otherDataController: { organisationId: 'other-hospital', personId: 'psn_oh_dpo_00001', role: 'data-controller' },
  regulator: { organisationId: 'care-regulator', personId: 'psn_reg_000000001', role: 'regulator' },
} as const;

/**
 * Retries a request while the ledger answers that a record it names is not known yet: the facts
 * projection follows the log by a moment, and mandates and cases look owners up there.
 */
export function whenKnown<T>(request: () => Promise<HttpResult<T>>): Promise<HttpResult<T>> {
  return eventually(
    request,
    (r) => !(r.status === 404 && ['OUTPUT.NOT_FOUND', 'INCIDENT.NOT_FOUND'].includes((r.body as { code?: string })?.code ?? '')),
    30000,
    'the records named known to the ledger',
  );
}

/**
 * The scenario hospital's clinical safety officer refers `incidentId` to the lead investigator's
 * organisation: the mandate under which it may open a case on the incident.
 */
export function referIncident(
  call: (method: string, path: string, options: { caller: Actor; body: unknown }) => Promise<HttpResult>,
  incidentId: string,
  reference: string,
): Promise<HttpResult> {
  return whenKnown(() =>
    call('POST', '/mandates', {
      caller: grantors.safetyOfficer,
      body: {
        kind: 'incident-referral',
        investigatingOrganisationId: investigators.lead.organisationId,
        scope: { kind: 'incident', incidentId },
        reference,
      },
    }),
  );
}

/** A rationale that would run as script in a report that forgot to escape. */
export const HOSTILE_RATIONALE = '<script>alert("pwned")</script> & "quotes"';

/**
 * One overridden output's whole chain (vendor, employer, clinical system), a second action on it
 * whose rationale is hostile markup, and an incident report naming the output.
 */
export function incidentScenario(): { ids: { outputId: string; incidentId: string; deploymentId: string }; events: CloudEvent<unknown>[] } {
  const ids = outputChainIds();
  const incidentId = randomUUID();
  const chain = outputChainEvents(ids);
  const base = Date.parse('2026-11-02T09:00:00Z');
  const t = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  const nurse = { personId: 'psn_nurse0000001', role: 'staff-nurse' };
  return {
    ids: { outputId: ids.outputId, incidentId, deploymentId: ids.deploymentId },
    events: [
      ...chain,
      makeEvent(
        'output.acted-on',
        {
          outputId: ids.outputId,
          organisationId: 'st-swithins',
          professional: nurse,
          action: 'escalated',
          rationale: HOSTILE_RATIONALE,
          reviewDurationSeconds: 20,
          actor: actors.clinicalSystem,
        },
        { time: t(14) },
      ),
      makeEvent(
        'incident.reported',
        {
          incidentId,
          organisationId: 'st-swithins',
          outputIds: [ids.outputId],
          harmReference: 'LFPSE-2026-0042',
          severity: 'moderate',
          actor: actors.clinicalSystem,
        },
        { time: t(60) },
      ),
    ],
  };
}
