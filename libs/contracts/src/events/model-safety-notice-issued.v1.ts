import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Text, Timestamp } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const NoticeSeverity = Type.Union(['low', 'medium', 'high', 'critical'].map((s) => Type.Literal(s)));

export const ModelSafetyNoticeIssuedV1 = defineEvent({
  name: 'model.safety-notice.issued',
  version: 1,
  producer: 'model-registry',
  description: 'A vendor issued a field safety notice affecting versions of a model.',
  subjectOf: (d) => subjectOf('model', d.modelId),
  schema: Type.Object(
    {
      noticeId: Id,
      modelId: Id,
      vendorId: OrganisationId,
      affectedVersionIds: Type.Array(Id, { minItems: 1, maxItems: 500 }),
      severity: NoticeSeverity,
      summary: Text(4000),
      requiredAction: Text(4000),
      actionDeadline: Type.Optional(Timestamp),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
