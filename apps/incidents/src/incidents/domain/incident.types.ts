import type {
  Actor,
  EventData,
  IncidentAbout,
  IncidentAuthorityReportedV1,
  IncidentClassifiedV1,
  IncidentProviderAwareV1,
  IncidentProviderInformedV1,
  ReportingAuthority,
} from '@aal/contracts';
import type { Occurred, OccurredEvent } from '@aal/domain';

type Classified = EventData<typeof IncidentClassifiedV1>;

export type IncidentEvent =
  | OccurredEvent<'incident.classified', Classified>
  | OccurredEvent<'incident.provider-informed', EventData<typeof IncidentProviderInformedV1>>
  | OccurredEvent<'incident.provider-aware', EventData<typeof IncidentProviderAwareV1>>
  | OccurredEvent<'incident.authority-reported', EventData<typeof IncidentAuthorityReportedV1>>;

/**
 * The deployer classifies an incident in one of its deployments. `about` is what the directory
 * knows of `deploymentId` (null: nothing yet); `informProviderWithinHours` is the service's
 * configured reading of "without undue delay". `occurredAt` is the request time.
 */
export type ClassifyIncident = {
  readonly kind: 'ClassifyIncident';
  readonly incidentId: string;
  readonly deploymentId: string;
  readonly about: IncidentAbout | null;
  readonly informProviderWithinHours: number;
  readonly actor: Actor;
} & Pick<Classified, 'classification' | 'publicHealthThreat' | 'awareAt' | 'outputIds' | 'harmReference'> &
  Occurred;

/** The deployer records that it informed the provider, at `madeAt`. */
export type RecordProviderInformed = {
  readonly kind: 'RecordProviderInformed';
  readonly incidentId: string;
  readonly madeAt: string;
  readonly reference: string;
  readonly actor: Actor;
} & Occurred;

/** The provider records when it became aware. */
export type RecordProviderAware = {
  readonly kind: 'RecordProviderAware';
  readonly incidentId: string;
  readonly awareAt: string;
  readonly actor: Actor;
} & Occurred;

/** The provider records a report it made to an authority, at `madeAt`. */
export type RecordAuthorityReport = {
  readonly kind: 'RecordAuthorityReport';
  readonly incidentId: string;
  readonly authority: ReportingAuthority;
  readonly madeAt: string;
  readonly reference: string;
  readonly actor: Actor;
} & Occurred;

export type IncidentCommand = ClassifyIncident | RecordProviderInformed | RecordProviderAware | RecordAuthorityReport;

export interface AuthorityReportState {
  readonly authority: ReportingAuthority;
  readonly madeAt: string;
  readonly reference: string;
  readonly recordedAt: string;
  readonly by: Actor;
}

export type IncidentState =
  | { readonly status: 'none' }
  | ({
      readonly status: 'classified';
      readonly classifiedAt: string;
      readonly classifiedBy: Actor;
      readonly providerInformed?: { readonly madeAt: string; readonly reference: string; readonly recordedAt: string; readonly by: Actor };
      readonly providerAware?: { readonly awareAt: string; readonly recordedAt: string; readonly by: Actor };
      readonly authorityReports: readonly AuthorityReportState[];
    } & Omit<Classified, 'actor'>);
