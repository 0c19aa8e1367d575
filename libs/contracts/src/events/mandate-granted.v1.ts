import { Type, type Static } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Text, Timestamp } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { OutputId } from './output-generated.v1';

/**
 * The kinds of authority under which one organisation investigates another's records: the
 * reporting organisation refers an incident, its data controller grants access, or a regulator
 * mandates an investigating body.
 */
export const MANDATE_KINDS = ['incident-referral', 'data-controller-grant', 'regulator-mandate'] as const;
export const MandateKind = Type.Union(
  MANDATE_KINDS.map((k) => Type.Literal(k)),
  { description: 'What gives the authority.' },
);
export type MandateKind = Static<typeof MandateKind>;

/** What a mandate covers: an incident (and the outputs it names), named outputs, or every record of the organisation. */
export const MandateScope = Type.Union(
  [
    Type.Object({ kind: Type.Literal('incident'), incidentId: Id }, { additionalProperties: false }),
    Type.Object(
      { kind: Type.Literal('outputs'), outputIds: Type.Array(OutputId, { minItems: 1, maxItems: 1000, uniqueItems: true }) },
      { additionalProperties: false },
    ),
    Type.Object({ kind: Type.Literal('organisation') }, { additionalProperties: false }),
  ],
  { description: "What the mandate covers: an incident and the outputs it names, named outputs, or all of the organisation's records." },
);
export type MandateScope = Static<typeof MandateScope>;

export const MandateGrantedV1 = defineEvent({
  name: 'mandate.granted',
  version: 1,
  producer: 'ledger',
  description:
    "An organisation (or a regulator) gave an investigating organisation the authority to investigate records of `organisationId`: an incident referral, a data controller's grant or a regulator's mandate. Cases on another organisation's records are opened only under one in force.",
  subjectOf: (d) => subjectOf('mandate', d.mandateId),
  schema: Type.Object(
    {
      mandateId: Id,
      kind: MandateKind,
      /** The organisation whose records the mandate covers. */
      organisationId: OrganisationId,
      grantingOrganisationId: OrganisationId,
      investigatingOrganisationId: OrganisationId,
      scope: MandateScope,
      reference: Text(500, 'The referral, grant or mandate reference (e.g. a letter or case number); never a narrative with identifiers.'),
      until: Type.Optional(Timestamp),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
