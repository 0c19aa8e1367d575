import { subjectOf } from '@aal/contracts';
import { DomainError, type Decider, type OccurredEvent } from '@aal/domain';
import type { KnownDeployment } from '../../deployment-directory/domain/known-deployment';
import { incidentDecider } from '../../incidents/domain/incident.decider';
import { instructionDecider } from '../../instructions/domain/instruction.decider';
import { outputDecider } from '../../outputs/domain/output.decider';
import { INCIDENT_AGGREGATE, INSTRUCTION_AGGREGATE, OUTPUT_AGGREGATE, targetOf, type AggregateRef, type Report } from './report';

type AnyEvent = OccurredEvent<string, unknown>;
type AnyDecider = Decider<unknown, unknown, AnyEvent>;

const DECIDERS: Record<Report['aggregate'], AnyDecider> = {
  [OUTPUT_AGGREGATE]: outputDecider as unknown as AnyDecider,
  [INSTRUCTION_AGGREGATE]: instructionDecider as unknown as AnyDecider,
  [INCIDENT_AGGREGATE]: incidentDecider as unknown as AnyDecider,
};

/** One report's outcome: the events it decided (none for a harmless retry) on its aggregate. */
export interface FoldedReport {
  readonly target: AggregateRef;
  readonly subject: string;
  readonly events: readonly AnyEvent[];
}

/** An aggregate after the reports: its final state, and whether any report changed it. */
export interface FoldedAggregate {
  readonly target: AggregateRef;
  readonly state: unknown;
  readonly changed: boolean;
}

export interface ReportRefusal {
  /** Position of the refused report in the list given. */
  readonly index: number;
  readonly error: DomainError;
}

export type FoldOutcome =
  | { readonly ok: true; readonly reports: readonly FoldedReport[]; readonly aggregates: readonly FoldedAggregate[] }
  | { readonly ok: false; readonly refusals: readonly ReportRefusal[] };

/**
 * Decides reports in order, each against the state its aggregate reached after the earlier
 * reports (so a list may generate an output and then present it). The business rules stay in
 * the deciders; this only threads state between them. `loaded` holds the stored state of each
 * aggregate by subject (absent: not yet recorded); `deployments` what the deployment directory
 * knows of the deployments the reports name (absent: unknown), which each RecordOutput command
 * is given for its deployment.
 *
 * Every report is decided even after a refusal, so the caller learns of every refused report at
 * once; a refused report changes nothing, so later reports that depend on it are refused too.
 * Errors that are not DomainErrors are bugs and propagate.
 */
export function foldReports(
  reports: readonly Report[],
  loaded: ReadonlyMap<string, unknown>,
  deployments: ReadonlyMap<string, KnownDeployment>,
  outputOwners: ReadonlyMap<string, string> = new Map(),
): FoldOutcome {
  const aggregates = new Map<string, { target: AggregateRef; state: unknown; changed: boolean }>();
  const folded: FoldedReport[] = [];
  const refusals: ReportRefusal[] = [];
  reports.forEach((report, index) => {
    const target = targetOf(report);
    const subject = subjectOf(target.type, target.id);
    const decider = DECIDERS[report.aggregate];
    let aggregate = aggregates.get(subject);
    if (!aggregate) {
      aggregate = { target, state: loaded.has(subject) ? loaded.get(subject) : decider.initialState, changed: false };
      aggregates.set(subject, aggregate);
    }
    try {
      const events = decider.decide(commandOf(report, deployments, outputOwners), aggregate.state);
      aggregate.state = events.reduce((s, e) => decider.evolve(s, e), aggregate.state);
      aggregate.changed ||= events.length > 0;
      folded.push({ target, subject, events });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      refusals.push({ index, error: err });
    }
  });
  if (refusals.length > 0) return { ok: false, refusals };
  return { ok: true, reports: folded, aggregates: [...aggregates.values()] };
}

/**
 * The command to decide: a RecordOutput gets what the directory knows of its deployment; a
 * ReportIncident gets the organisation that reported each output it names (when known here).
 */
function commandOf(report: Report, deployments: ReadonlyMap<string, KnownDeployment>, outputOwners: ReadonlyMap<string, string>): unknown {
  if (report.aggregate === INCIDENT_AGGREGATE && report.command.kind === 'ReportIncident') {
    const owners = Object.fromEntries(
      report.command.facts.outputIds.flatMap((id) => (outputOwners.has(id) ? [[id, outputOwners.get(id)!]] : [])),
    );
    return { ...report.command, outputOwners: owners };
  }
  if (report.aggregate !== OUTPUT_AGGREGATE || report.command.kind !== 'RecordOutput') return report.command;
  return { ...report.command, deployment: deployments.get(report.command.facts.deploymentId) ?? null };
}
