import { Type, type Static } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Text, Timestamp } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

/** What a concern may be about, as a patient, a PPI group or a member of staff would put it. Written once here. */
export const CONCERN_CATEGORIES = ['bias-or-unequal-performance', 'safety', 'usability', 'consent-or-information', 'other'] as const;
export const ConcernCategory = Type.Union(
  CONCERN_CATEGORIES.map((c) => Type.Literal(c)),
  { description: 'What the concern is about.' },
);

/** Severity as judged by the organisation that took the concern in; it sets the due dates. */
export const CONCERN_SEVERITIES = ['low', 'moderate', 'high', 'critical'] as const;
export type ConcernSeverity = (typeof CONCERN_SEVERITIES)[number];
export const ConcernSeverity = Type.Union(
  CONCERN_SEVERITIES.map((s) => Type.Literal(s)),
  { description: 'Severity as judged at intake.' },
);

/** Who raised it, as a kind of person only: the system never holds a patient's identity. */
export const CONCERN_RAISER_KINDS = ['patient-or-representative', 'ppi-group', 'staff'] as const;
export const ConcernRaiserKind = Type.Union(
  CONCERN_RAISER_KINDS.map((k) => Type.Literal(k)),
  { description: 'Who raised the concern: a patient or their representative, a patient-and-public-involvement group, or staff.' },
);

/** The parties that may be asked to answer a concern. */
export const CONCERN_PARTIES = ['vendor', 'employer'] as const;
export type ConcernParty = (typeof CONCERN_PARTIES)[number];

/** One organisation that must acknowledge and answer, and in which capacity. */
export const ConcernAddressee = Type.Object(
  { party: Type.Union(CONCERN_PARTIES.map((p) => Type.Literal(p))), organisationId: OrganisationId },
  { additionalProperties: false },
);
export type ConcernAddressee = Static<typeof ConcernAddressee>;

/**
 * What the concern is about: a model version, or one employer's deployment of a version. Both name
 * the model, the version and its vendor (a deployment also its employer), so the ledger finds a
 * concern from the version or the deployment it is about, and every concern event carries it.
 */
export const ConcernAbout = Type.Union(
  [
    Type.Object(
      { kind: Type.Literal('model-version'), modelId: Id, versionId: Id, vendorId: OrganisationId },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('deployment'),
        deploymentId: Id,
        employerId: OrganisationId,
        modelId: Id,
        versionId: Id,
        vendorId: OrganisationId,
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'The model version or the deployment the concern is about.' },
);
export type ConcernAbout = Static<typeof ConcernAbout>;

export const ConcernRaisedV1 = defineEvent({
  name: 'concern.raised',
  version: 1,
  producer: 'concerns',
  description:
    'A patient or their representative, a patient-and-public-involvement group or a member of staff raised a concern about a model version or a deployment, through an organisation that took it in; each addressee must acknowledge it by `acknowledgeBy` and answer it by `answerBy`.',
  subjectOf: (d) => subjectOf('concern', d.concernId),
  schema: Type.Object(
    {
      concernId: Id,
      intakeOrganisationId: OrganisationId,
      about: ConcernAbout,
      category: ConcernCategory,
      description: Text(4000, 'The concern in the words taken down at intake; never a name, NHS number or other identifier.'),
      severity: ConcernSeverity,
      raisedBy: ConcernRaiserKind,
      addressees: Type.Array(ConcernAddressee, { minItems: 1, maxItems: 2 }),
      acknowledgeBy: Timestamp,
      answerBy: Timestamp,
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
