import { INCIDENT_AGGREGATE, type IncidentCommand } from '../../incidents/domain/incident.types';
import { INSTRUCTION_AGGREGATE, type InstructionCommand } from '../../instructions/domain/instruction.types';
import { OUTPUT_AGGREGATE, type ReportedOutputCommand } from '../../outputs/domain/output.types';

export { INCIDENT_AGGREGATE, INSTRUCTION_AGGREGATE, OUTPUT_AGGREGATE };

/**
 * One reported fact routed to the aggregate that decides it. An instruction naming an output is
 * an output command (its subject is the output, so it stays in order with the output's events).
 */
export type Report =
  | { readonly aggregate: typeof OUTPUT_AGGREGATE; readonly command: ReportedOutputCommand }
  | { readonly aggregate: typeof INSTRUCTION_AGGREGATE; readonly command: InstructionCommand }
  | { readonly aggregate: typeof INCIDENT_AGGREGATE; readonly command: IncidentCommand };

export interface AggregateRef {
  readonly type: Report['aggregate'];
  readonly id: string;
  /** The reporting organisation: owner of the aggregate if this report creates it. */
  readonly organisationId: string;
}

export function targetOf(report: Report): AggregateRef {
  switch (report.aggregate) {
    case OUTPUT_AGGREGATE:
      return { type: report.aggregate, id: report.command.facts.outputId, organisationId: report.command.facts.organisationId };
    case INSTRUCTION_AGGREGATE:
      return { type: report.aggregate, id: report.command.facts.instructionId, organisationId: report.command.facts.organisationId };
    case INCIDENT_AGGREGATE:
      return { type: report.aggregate, id: report.command.facts.incidentId, organisationId: report.command.facts.organisationId };
  }
}

/** The deployments whose outputs `reports` generate: the write path looks them up in the directory. */
/** The outputs named by incident reports in the list (their owners decide whether the incident may name them). */
export function outputsNamedByIncidents(reports: readonly Report[]): string[] {
  return reports.flatMap((r) =>
    r.aggregate === INCIDENT_AGGREGATE && r.command.kind === 'ReportIncident' ? [...r.command.facts.outputIds] : [],
  );
}

export function deploymentsNamed(reports: readonly Report[]): string[] {
  return reports.flatMap((r) =>
    r.aggregate === OUTPUT_AGGREGATE && r.command.kind === 'RecordOutput' ? [r.command.facts.deploymentId] : [],
  );
}
