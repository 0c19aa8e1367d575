import type { Actor, EventData, IncidentReportedV1 } from '@aal/contracts';
import type { OccurredEvent } from '@aal/domain';
import type { ReportCommand } from '../../usage/domain/occurrence';

/** The aggregate type incidents are stored under (`aggregates.aggregate_type`), and their CloudEvent subject prefix. */
export const INCIDENT_AGGREGATE = 'incident';

export type IncidentFacts = EventData<typeof IncidentReportedV1>;

/** `outputOwners`: the organisation that reported each named output this service knows; looked up by the handler. */
export type IncidentCommand = ReportCommand<'ReportIncident', IncidentFacts> & { readonly outputOwners?: Readonly<Record<string, string>> };
export type IncidentEvent = OccurredEvent<'incident.reported', IncidentFacts>;

export type IncidentState =
  | { readonly status: 'none' }
  | {
      readonly status: 'reported';
      readonly incidentId: string;
      readonly organisationId: string;
      readonly outputIds: readonly string[];
      readonly harmReference: string;
      readonly severity?: IncidentFacts['severity'];
      /** When the incident happened, per the reporting system: the `time` of incident.reported. */
      readonly occurredAt: string;
      readonly reportedBy: Actor;
    };
