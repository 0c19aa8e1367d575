import { Type, type TProperties } from '@sinclair/typebox';
import { Actor, Id, OrganisationId } from '../common.schema';
import { RecommendationAddressee } from './recommendation-recorded.v1';

/** What every response to a recommendation names: the case, the recommendation, its addressee and who responded. */
export const recommendationResponse = <P extends TProperties>(own: P) =>
  Type.Object(
    {
      caseId: Id,
      /** The investigating organisation (the case's). */
      organisationId: OrganisationId,
      recommendationId: Id,
      addressee: RecommendationAddressee,
      ...own,
      actor: Actor,
    },
    { additionalProperties: false },
  );
