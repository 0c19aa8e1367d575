import type { CaseBasis } from '@aal/contracts';
import { inForce, type MandateState } from './mandate.decider';
import { mandateErrors } from './mandate.errors';

/**
 * A record a case would cover, with its owner as the log says (null: the ledger holds no such
 * record) and, for an output, the incidents that name it (a referral of one covers it).
 */
export type ScopeRecord =
  | { readonly kind: 'incident'; readonly id: string; readonly organisationId: string | null }
  | { readonly kind: 'output'; readonly id: string; readonly organisationId: string | null; readonly incidentIds: readonly string[] };

function covers(mandate: MandateState & { status: 'granted' }, record: ScopeRecord & { organisationId: string }): boolean {
  if (mandate.organisationId !== record.organisationId) return false;
  switch (mandate.scope.kind) {
    case 'organisation':
      return true;
    case 'incident':
      return record.kind === 'incident' ? record.id === mandate.scope.incidentId : record.incidentIds.includes(mandate.scope.incidentId);
    case 'outputs':
      return record.kind === 'output' && mandate.scope.outputIds.includes(record.id);
  }
}

/**
 * The mandate rule of investigations: an investigator of organisation B may open a case only if,
 * for every record the case covers, either B owns it (an organisation investigating itself) or a
 * mandate in force at `at`, given to B by (or over) the record's organisation, covers it. Returns
 * the basis per organisation (the mandates used, in the order given); throws `CASE.NO_MANDATE`
 * naming every record without one, or the not-found of a record the ledger does not hold.
 */
export function caseBasis(input: {
  investigatingOrganisationId: string;
  records: readonly ScopeRecord[];
  mandates: readonly MandateState[];
  at: string;
}): CaseBasis {
  const unknownIncident = input.records.find((r) => r.kind === 'incident' && r.organisationId === null);
  if (unknownIncident) throw mandateErrors.unknownIncident(unknownIncident.id);
  const unknownOutputs = input.records.filter((r) => r.kind === 'output' && r.organisationId === null).map((r) => r.id);
  if (unknownOutputs.length > 0) throw mandateErrors.unknownOutputs(unknownOutputs);

  const usable = input.mandates.filter(
    (m): m is MandateState & { status: 'granted' } =>
      inForce(m, input.at) && m.investigatingOrganisationId === input.investigatingOrganisationId,
  );
  const byOrganisation = new Map<string, Set<string> | 'own-organisation'>();
  const uncovered: Array<{ kind: 'incident' | 'output'; id: string; organisationId: string }> = [];
  for (const record of input.records as ReadonlyArray<ScopeRecord & { organisationId: string }>) {
    if (record.organisationId === input.investigatingOrganisationId) {
      byOrganisation.set(record.organisationId, 'own-organisation');
      continue;
    }
    const mandate = usable.find((m) => covers(m, record));
    if (!mandate) {
      uncovered.push({ kind: record.kind, id: record.id, organisationId: record.organisationId });
      continue;
    }
    const used = byOrganisation.get(record.organisationId);
    if (used instanceof Set) used.add(mandate.mandateId);
    else byOrganisation.set(record.organisationId, new Set([mandate.mandateId]));
  }
  if (uncovered.length > 0) throw mandateErrors.noMandate(input.investigatingOrganisationId, uncovered);
  return [...byOrganisation].map(([organisationId, used]) =>
    used === 'own-organisation'
      ? { organisationId, by: 'own-organisation' as const }
      : { organisationId, by: 'mandate' as const, mandateIds: [...used] },
  );
}
