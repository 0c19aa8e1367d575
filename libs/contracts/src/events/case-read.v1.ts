import { Type, type Static } from '@sinclair/typebox';
import { Actor, Digest, Id, OrganisationId } from '../common.schema';
import { OutputId } from './output-generated.v1';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { LogPosition } from './case-opened.v1';

export const CASE_VIEWS = [
  'case',
  'timeline',
  'replay',
  'export',
  'report',
  'accountability',
  'oversight',
  'scope',
  'recommendations',
  'incident-clock',
] as const;
export const CaseView = Type.Union(CASE_VIEWS.map((v) => Type.Literal(v)));
export type CaseView = Static<typeof CaseView>;

export const CaseReadV1 = defineEvent({
  name: 'case.read',
  version: 1,
  producer: 'ledger',
  description:
    'An investigator read a case: which view, with which positions, against a log of which size, and the digest of the answer when it was complete before sending. Recorded before the answer is sent, so no read goes unrecorded.',
  subjectOf: (d) => subjectOf('case', d.caseId),
  schema: Type.Object(
    {
      caseId: Id,
      organisationId: OrganisationId,
      view: CaseView,
      /** The output whose accountability chain was read (view `accountability`). */
      outputId: Type.Optional(OutputId),
      /** The deployment whose oversight or approved scope was read (views `oversight`, `scope`). */
      deploymentId: Type.Optional(Id),
      knownAt: Type.Optional(LogPosition),
      from: Type.Optional(LogPosition),
      to: Type.Optional(LogPosition),
      logSize: LogPosition,
      /** SHA-256 of the answer sent, when it was complete before it was sent (not for streams). */
      contentDigest: Type.Optional(Digest),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
