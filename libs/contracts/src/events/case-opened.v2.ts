import { Type, type Static } from '@sinclair/typebox';
import { OrganisationId, Id } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { CaseOpenedV1 } from './case-opened.v1';

/**
 * Why the investigating organisation may investigate one organisation's records in a case: they
 * are its own, or mandates in force granted it the authority.
 */
export const CaseBasis = Type.Array(
  Type.Union([
    Type.Object({ organisationId: OrganisationId, by: Type.Literal('own-organisation') }, { additionalProperties: false }),
    Type.Object(
      {
        organisationId: OrganisationId,
        by: Type.Literal('mandate'),
        mandateIds: Type.Array(Id, { minItems: 1, maxItems: 1000, uniqueItems: true }),
      },
      { additionalProperties: false },
    ),
  ]),
  { minItems: 1, maxItems: 1000, description: 'For each organisation whose records the case covers, the basis of the investigation.' },
);
export type CaseBasis = Static<typeof CaseBasis>;

/**
 * Version 2 adds the case's basis (issue #11): from v2 on a case is opened only on records that
 * are the investigator's own organisation's or under a mandate. v1 stays in the catalogue so
 * cases opened before keep validating and replaying.
 */
export const CaseOpenedV2 = defineEvent({
  name: 'case.opened',
  version: 2,
  producer: 'ledger',
  description:
    "An investigator opened a case about an incident or a set of outputs, against the latest signed checkpoint, on a recorded basis: for each organisation whose records it covers, its own organisation or the mandates in force. The opener is the case's first investigator.",
  subjectOf: (d) => subjectOf('case', d.caseId),
  schema: Type.Object({ ...CaseOpenedV1.schema.properties, basis: CaseBasis }, { additionalProperties: false }),
});
