import { Type, type Static } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Text, Timestamp } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

/** The parties a safety recommendation may be addressed to. Written once here. */
export const RECOMMENDATION_PARTIES = ['vendor', 'employer', 'professional-body', 'regulator'] as const;
export type RecommendationParty = (typeof RECOMMENDATION_PARTIES)[number];

/** The organisation a recommendation is addressed to, and in which capacity: only it may respond. */
export const RecommendationAddressee = Type.Object(
  { party: Type.Union(RECOMMENDATION_PARTIES.map((p) => Type.Literal(p))), organisationId: OrganisationId },
  { additionalProperties: false, description: 'The organisation that can act on the recommendation, and in which capacity.' },
);
export type RecommendationAddressee = Static<typeof RecommendationAddressee>;

/** A finding code as docs/findings.md lists it, e.g. `REVIEW.BELOW_POLICY_MINIMUM`; the ledger checks it is one it defines. */
export const FindingCodeRef = Type.String({
  pattern: '^[A-Z][A-Z0-9_]*(\\.[A-Z][A-Z0-9_]*)+$',
  description: 'A finding code of docs/findings.md.',
});

/**
 * What a recommendation arises from: finding codes, on a model version or a deployment (at least
 * one of the two). The ledger counts these across cases for the recurring-pattern finding.
 */
export const RecommendationArisesFrom = Type.Object(
  {
    findingCodes: Type.Array(FindingCodeRef, { minItems: 1, maxItems: 20, uniqueItems: true }),
    versionId: Type.Optional(Id),
    deploymentId: Type.Optional(Id),
  },
  {
    additionalProperties: false,
    description: 'The findings, and the version or deployment they were made on, that the recommendation arises from.',
  },
);
export type RecommendationArisesFrom = Static<typeof RecommendationArisesFrom>;

export const RecommendationRecordedV1 = defineEvent({
  name: 'recommendation.recorded',
  version: 1,
  producer: 'ledger',
  description:
    'An investigator of a case recorded a safety recommendation addressed to an organisation (vendor, employer, professional body or regulator), due by `dueBy`, optionally naming the findings and the version or deployment it arises from. The addressee responds with recommendation.accepted, .completed or .rejected.',
  subjectOf: (d) => subjectOf('case', d.caseId),
  schema: Type.Object(
    {
      caseId: Id,
      /** The investigating organisation (the case's). */
      organisationId: OrganisationId,
      /** The case's incident, when the case is about one: recurring patterns count incidents, not cases. */
      incidentId: Type.Optional(Id),
      recommendationId: Id,
      addressee: RecommendationAddressee,
      recommendation: Text(
        4000,
        'What the addressee is recommended to do, in factual words; never a name or other identifier of a person.',
      ),
      dueBy: Timestamp,
      arisesFrom: Type.Optional(RecommendationArisesFrom),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
