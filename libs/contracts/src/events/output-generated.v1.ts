import { Type } from '@sinclair/typebox';
import { Actor, Digest, Id, OrganisationId, Pseudonym, SiteName, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

/** Output ids are chosen by the clinical system, so they are opaque strings rather than UUIDs. */
export const OutputId = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{2,127}$',
  description: 'Output id chosen by the clinical system.',
});

export const OutputGeneratedV1 = defineEvent({
  name: 'output.generated',
  version: 1,
  producer: 'usage-events',
  description: 'A deployed model produced an output about a (pseudonymous) subject; `time` is when it was produced.',
  subjectOf: (d) => subjectOf('output', d.outputId),
  schema: Type.Object(
    {
      outputId: OutputId,
      organisationId: OrganisationId,
      deploymentId: Id,
      modelId: Id,
      versionId: Id,
      subjectRef: Pseudonym,
      outputDigest: Digest,
      site: SiteName,
      summary: Type.Optional(Text(1000, 'Non-identifying description, e.g. "sepsis risk: high (score 7)".')),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
