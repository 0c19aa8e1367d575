import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const ModelSafetyNoticeResolvedV1 = defineEvent({
  name: 'model.safety-notice.resolved',
  version: 1,
  producer: 'model-registry',
  description:
    'A vendor resolved a safety notice it had issued: the resolution says how the hazard was addressed. ' +
    'The notice stays on record; from this event on it no longer holds back the versions it affected.',
  subjectOf: (d) => subjectOf('model', d.modelId),
  schema: Type.Object(
    {
      noticeId: Id,
      modelId: Id,
      vendorId: OrganisationId,
      resolution: Text(4000),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
