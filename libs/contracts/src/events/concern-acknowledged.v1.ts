import { Type } from '@sinclair/typebox';
import { Actor, Id } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { ConcernAbout, ConcernAddressee } from './concern-raised.v1';

export const ConcernAcknowledgedV1 = defineEvent({
  name: 'concern.acknowledged',
  version: 1,
  producer: 'concerns',
  description: "An addressee's staff acknowledged a concern addressed to their organisation.",
  subjectOf: (d) => subjectOf('concern', d.concernId),
  schema: Type.Object({ concernId: Id, about: ConcernAbout, addressee: ConcernAddressee, actor: Actor }, { additionalProperties: false }),
});
