import { Type } from '@sinclair/typebox';
import { Actor, OrganisationId, Professional, SiteName } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { OutputId } from './output-generated.v1';

export const OutputPresentedV1 = defineEvent({
  name: 'output.presented',
  version: 1,
  producer: 'usage-events',
  description: 'An output was shown to a professional; `time` is when it was shown.',
  subjectOf: (d) => subjectOf('output', d.outputId),
  schema: Type.Object(
    { outputId: OutputId, organisationId: OrganisationId, professional: Professional, site: SiteName, actor: Actor },
    { additionalProperties: false },
  ),
});
