import { actors, makeEvent, outputChainEvents } from '@aal/testing';
import type { CloudEvent } from '@aal/contracts';
import { randomUUID } from 'node:crypto';

/** Investigators as the token carries them: pseudonyms per organisation, role `investigator`. */
export const investigators = {
  lead: { organisationId: 'hsib', personId: 'psn_investigator01', role: 'investigator' },
  regulator: { organisationId: 'cqc', personId: 'psn_regulator0001', role: 'investigator' },
  stranger: { organisationId: 'hsib', personId: 'psn_someoneelse01', role: 'investigator' },
} as const;

/** A rationale that would run as script in a report that forgot to escape. */
export const HOSTILE_RATIONALE = '<script>alert("pwned")</script> & "quotes"';

/**
 * One overridden output's whole chain (vendor, employer, clinical system), a second action on it
 * whose rationale is hostile markup, and an incident report naming the output.
 */
export function incidentScenario(): { ids: { outputId: string; incidentId: string; deploymentId: string }; events: CloudEvent<unknown>[] } {
  const ids = { modelId: randomUUID(), versionId: randomUUID(), deploymentId: randomUUID(), outputId: `out-${randomUUID()}`, policyId: randomUUID(), trainingId: randomUUID() };
  const incidentId = randomUUID();
  const chain = outputChainEvents(ids);
  const base = Date.parse('2026-11-02T09:00:00Z');
  const t = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  const nurse = { personId: 'psn_nurse0000001', role: 'staff-nurse' };
  return {
    ids: { outputId: ids.outputId, incidentId, deploymentId: ids.deploymentId },
    events: [
      ...chain,
      makeEvent('output.acted-on', { outputId: ids.outputId, organisationId: 'st-swithins', professional: nurse, action: 'escalated', rationale: HOSTILE_RATIONALE, reviewDurationSeconds: 20, actor: actors.clinicalSystem }, { time: t(14) }),
      makeEvent('incident.reported', { incidentId, organisationId: 'st-swithins', outputIds: [ids.outputId], harmReference: 'LFPSE-2026-0042', severity: 'moderate', actor: actors.clinicalSystem }, { time: t(60) }),
    ],
  };
}
