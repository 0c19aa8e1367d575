import type {
  Actor,
  EventData,
  ModelRegisteredV1,
  ModelSafetyNoticeIssuedV1,
  ModelSafetyNoticeResolvedV1,
  ModelVersionReleasedV2,
  ModelVersionWithdrawnV1,
} from '@aal/contracts';
import type { DomainEvent, Occurred } from '@aal/domain';

export type ModelEvent =
  | DomainEvent<'model.registered', EventData<typeof ModelRegisteredV1>>
  | DomainEvent<'model.version.released', EventData<typeof ModelVersionReleasedV2>>
  | DomainEvent<'model.safety-notice.issued', EventData<typeof ModelSafetyNoticeIssuedV1>>
  | DomainEvent<'model.safety-notice.resolved', EventData<typeof ModelSafetyNoticeResolvedV1>>
  | DomainEvent<'model.version.withdrawn', EventData<typeof ModelVersionWithdrawnV1>>;

type Without<T, K extends keyof T> = Omit<T, K>;

/** Every command carries `occurredAt`: the request time, which becomes the CloudEvent `time`. */
export type ModelCommand =
  | ({ kind: 'RegisterModel' } & Without<EventData<typeof ModelRegisteredV1>, 'vendorId'> & Occurred)
  | ({ kind: 'ReleaseVersion' } & Without<EventData<typeof ModelVersionReleasedV2>, 'vendorId'> & Occurred)
  | ({ kind: 'IssueSafetyNotice' } & Without<EventData<typeof ModelSafetyNoticeIssuedV1>, 'vendorId'> & Occurred)
  | ({ kind: 'ResolveSafetyNotice' } & Without<EventData<typeof ModelSafetyNoticeResolvedV1>, 'vendorId'> & Occurred)
  | ({ kind: 'WithdrawVersion' } & Without<EventData<typeof ModelVersionWithdrawnV1>, 'vendorId'> & Occurred);

export interface ModelVersionState {
  readonly versionId: string;
  readonly version: string;
  readonly artifactDigest: string;
  readonly status: 'released' | 'withdrawn';
}

export interface SafetyNoticeState {
  readonly noticeId: string;
  readonly severity: string;
  readonly affectedVersionIds: readonly string[];
  /** Set by `model.safety-notice.resolved`; a notice stays on record once resolved. */
  readonly resolved: boolean;
}

export type ModelState =
  | { readonly status: 'unregistered' }
  | {
      readonly status: 'registered';
      readonly modelId: string;
      readonly vendorId: string;
      readonly name: string;
      readonly versions: Readonly<Record<string, ModelVersionState>>;
      readonly notices: Readonly<Record<string, SafetyNoticeState>>;
    };

export type { Actor };
