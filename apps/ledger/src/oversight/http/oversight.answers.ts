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

const Seqs = Type.Array(Type.Integer({ minimum: 0 }));

/** What GET /deployments/{id}/oversight/entries answers: the entries an oversight answer rests on, by kind. */
export const OversightEntriesAnswer = Type.Object(
  {
    deploymentId: Type.String({ format: 'uuid' }),
    from: Type.String(),
    to: Type.String(),
    outputs: Seqs,
    actions: Seqs,
    incidents: Seqs,
    policies: Seqs,
  },
  { ...open, description: 'The sequence numbers of the entries the oversight answer for the same query counts, by kind.' },
);
