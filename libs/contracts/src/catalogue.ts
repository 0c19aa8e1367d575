import type { EventDefinition, ProducerName } from './event-definition';
import { CaseAccessGrantedV1 } from './events/case-access-granted.v1';
import { CaseClosedV1 } from './events/case-closed.v1';
import { CaseHoldLiftedV1 } from './events/case-hold-lifted.v1';
import { CaseHoldPlacedV1 } from './events/case-hold-placed.v1';
import { CaseOpenedV1 } from './events/case-opened.v1';
import { CaseOpenedV2 } from './events/case-opened.v2';
import { CaseReadV1 } from './events/case-read.v1';
import { ConcernAcknowledgedV1 } from './events/concern-acknowledged.v1';
import { ConcernAnsweredV1 } from './events/concern-answered.v1';
import { ConcernRaisedV1 } from './events/concern-raised.v1';
import { IncidentAuthorityReportedV1 } from './events/incident-authority-reported.v1';
import { IncidentClassifiedV1 } from './events/incident-classified.v1';
import { IncidentProviderAwareV1 } from './events/incident-provider-aware.v1';
import { IncidentProviderInformedV1 } from './events/incident-provider-informed.v1';
import { DeploymentActivatedV1 } from './events/deployment-activated.v1';
import { DeploymentApprovedV1 } from './events/deployment-approved.v1';
import { DeploymentApprovedV2 } from './events/deployment-approved.v2';
import { DeploymentExpiredV1 } from './events/deployment-expired.v1';
import { DeploymentReinstatedV1 } from './events/deployment-reinstated.v1';
import { DeploymentRejectedV1 } from './events/deployment-rejected.v1';
import { DeploymentRequestedV1 } from './events/deployment-requested.v1';
import { DeploymentReviewedV1 } from './events/deployment-reviewed.v1';
import { DeploymentRevokedV1 } from './events/deployment-revoked.v1';
import { DeploymentScopeChangedV1 } from './events/deployment-scope-changed.v1';
import { DeploymentSuspendedV1 } from './events/deployment-suspended.v1';
import { IncidentReportedV1 } from './events/incident-reported.v1';
import { InstructionGivenV1 } from './events/instruction-given.v1';
import { MandateGrantedV1 } from './events/mandate-granted.v1';
import { MandateRevokedV1 } from './events/mandate-revoked.v1';
import { ModelRegisteredV1 } from './events/model-registered.v1';
import { ModelSafetyNoticeIssuedV1 } from './events/model-safety-notice-issued.v1';
import { ModelSafetyNoticeResolvedV1 } from './events/model-safety-notice-resolved.v1';
import { ModelVersionReleasedV1 } from './events/model-version-released.v1';
import { ModelVersionReleasedV2 } from './events/model-version-released.v2';
import { ModelVersionWithdrawnV1 } from './events/model-version-withdrawn.v1';
import { OutputActedOnV1 } from './events/output-acted-on.v1';
import { OutputGeneratedV1 } from './events/output-generated.v1';
import { OutputGeneratedV2 } from './events/output-generated.v2';
import { OutputPresentedV1 } from './events/output-presented.v1';
import { TrainingRecordedV1 } from './events/training-recorded.v1';
import { RecommendationAcceptedV1 } from './events/recommendation-accepted.v1';
import { RecommendationCompletedV1 } from './events/recommendation-completed.v1';
import { RecommendationRecordedV1 } from './events/recommendation-recorded.v1';
import { RecommendationRejectedV1 } from './events/recommendation-rejected.v1';
import { UsagePolicyIssuedV1 } from './events/usage-policy-issued.v1';

const DEFINITIONS = [
  ModelRegisteredV1,
  ModelVersionReleasedV1,
  ModelVersionReleasedV2,
  ModelSafetyNoticeIssuedV1,
  ModelSafetyNoticeResolvedV1,
  ModelVersionWithdrawnV1,
  DeploymentRequestedV1,
  DeploymentApprovedV1,
  DeploymentApprovedV2,
  DeploymentRejectedV1,
  DeploymentActivatedV1,
  DeploymentSuspendedV1,
  DeploymentReinstatedV1,
  DeploymentRevokedV1,
  DeploymentExpiredV1,
  DeploymentScopeChangedV1,
  DeploymentReviewedV1,
  UsagePolicyIssuedV1,
  TrainingRecordedV1,
  OutputGeneratedV1,
  OutputGeneratedV2,
  OutputPresentedV1,
  OutputActedOnV1,
  InstructionGivenV1,
  IncidentReportedV1,
  MandateGrantedV1,
  MandateRevokedV1,
  CaseOpenedV1,
  CaseOpenedV2,
  CaseAccessGrantedV1,
  CaseReadV1,
  CaseClosedV1,
  RecommendationRecordedV1,
  RecommendationAcceptedV1,
  RecommendationCompletedV1,
  RecommendationRejectedV1,
  CaseHoldPlacedV1,
  CaseHoldLiftedV1,
  ConcernRaisedV1,
  ConcernAcknowledgedV1,
  ConcernAnsweredV1,
  IncidentClassifiedV1,
  IncidentProviderInformedV1,
  IncidentProviderAwareV1,
  IncidentAuthorityReportedV1,
] as const;

/** Every event type the system knows, at every schema version it still accepts. */
export const EVENT_CATALOGUE: readonly EventDefinition[] = DEFINITIONS;

/** A catalogue name, e.g. `deployment.approved`; `CatalogueName<'deployment-approval'>` names one producer's events. */
export type CatalogueName<P extends ProducerName = ProducerName> = Extract<(typeof DEFINITIONS)[number], { readonly producer: P }>['name'];

const byType = new Map(EVENT_CATALOGUE.map((d) => [d.type, d]));

export function findEventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}

export function eventsProducedBy(producer: ProducerName): EventDefinition[] {
  return EVENT_CATALOGUE.filter((d) => d.producer === producer);
}

/** The newest schema version of a catalogue event name, e.g. `deployment.approved`. */
export function latestDefinition(name: string): EventDefinition {
  const found = EVENT_CATALOGUE.filter((d) => d.name === name).sort((a, b) => b.version - a.version)[0];
  if (!found) throw new Error(`no event named ${name} in the catalogue`);
  return found;
}
