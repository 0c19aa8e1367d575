import type { MandateScope } from '@aal/contracts';
import type { ScopeRecord } from '../domain/case-mandate.rule';
import type { ScopeOwners } from '../domain/mandate.decider';
import type { CaseEntriesRepository } from '../infrastructure/case-entries.repository';

/**
 * Whose records a case or mandate names, as the facts projection holds them now. Loaded before
 * the decision, so the domain decides on data and does no I/O. A record the projection does not
 * hold yet (just reported) is null and refused as not found: the caller can retry.
 */
export async function caseRecords(
  repository: CaseEntriesRepository,
  scope: { incidentId?: string; outputIds?: readonly string[] },
): Promise<ScopeRecord[]> {
  if (scope.incidentId !== undefined) {
    const reports = await repository.incidentReports(scope.incidentId);
    if (reports.length === 0) return [{ kind: 'incident', id: scope.incidentId, organisationId: null }];
    const outputIds = [...new Set(reports.flatMap((r) => r.outputIds))];
    const owners = await repository.outputOwners(outputIds);
    return [
      { kind: 'incident', id: scope.incidentId, organisationId: reports[0]!.organisationId },
      ...outputIds.map(
        (id): ScopeRecord => ({ kind: 'output', id, organisationId: owners.get(id) ?? null, incidentIds: [scope.incidentId!] }),
      ),
    ];
  }
  const outputIds = [...new Set(scope.outputIds ?? [])];
  const [owners, naming] = await Promise.all([repository.outputOwners(outputIds), repository.incidentsNaming(outputIds)]);
  return outputIds.map((id) => ({ kind: 'output', id, organisationId: owners.get(id) ?? null, incidentIds: naming.get(id) ?? [] }));
}

export async function mandateScopeOwners(repository: CaseEntriesRepository, scope: MandateScope): Promise<ScopeOwners> {
  switch (scope.kind) {
    case 'incident': {
      const reports = await repository.incidentReports(scope.incidentId);
      return { incident: { incidentId: scope.incidentId, organisationId: reports[0]?.organisationId ?? null }, outputs: [] };
    }
    case 'outputs': {
      const owners = await repository.outputOwners(scope.outputIds);
      return { outputs: scope.outputIds.map((outputId) => ({ outputId, organisationId: owners.get(outputId) ?? null })) };
    }
    case 'organisation':
      return { outputs: [] };
  }
}
