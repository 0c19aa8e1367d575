import { OversightEntries } from '../application/oversight.query';
import { Type } from '@sinclair/typebox';

const open = { additionalProperties: true } as const;

/** What GET /deployments/{id}/oversight answers (OpenAPI); the answer's type lives in libs/accountability. */
export const OversightAnswer = Type.Object(
  {
    buckets: Type.Array(Type.Object({ start: Type.String(), outputs: Type.Integer(), actions: Type.Integer() }, open)),
    findings: Type.Array(Type.Object({ code: Type.String(), title: Type.String(), statement: Type.String() }, open)),
  },
  { ...open, description: 'Outputs per professional against review time and the policy minimum, per period, with findings.' },
);

/** What GET /deployments/{id}/oversight/entries answers: the entries an oversight answer rests on, by kind. */
export const OversightEntriesAnswer = OversightEntries;
