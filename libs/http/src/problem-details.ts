import { Type, type Static } from '@sinclair/typebox';
import type { ValidationIssue } from '@aal/contracts';

/**
 * RFC 9457 problem details, with this system's extension members: the one schema every error
 * answer of every route is documented with (OpenAPI `application/problem+json`) and checked against
 * by the API tests. Extensions (evidence, `retryAfter`) are allowed beside the members named here.
 */
export const ProblemDetailsSchema = Type.Object(
  {
    type: Type.String({ description: 'A stable URN derived from `code`, e.g. `urn:aal:problem:deployment.self_approval`.' }),
    title: Type.String({ description: "The HTTP status's reason phrase." }),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String({ description: 'What went wrong, precisely, for a human reader.' }),
    instance: Type.String({ description: 'The request path (and query) that was refused.' }),
    code: Type.String({ description: 'Stable machine-readable code, e.g. `REQUEST.INVALID` or `DEPLOYMENT.SELF_APPROVAL`.' }),
    correlationId: Type.String({ description: "Echoes (or assigns) the request's `x-correlation-id`, also found in the logs." }),
    errors: Type.Optional(
      Type.Array(
        Type.Object({ pointer: Type.String({ description: 'JSON Pointer of the field.' }), rule: Type.String(), detail: Type.String() }),
        { description: 'One entry per failed rule, each naming the field by JSON Pointer.' },
      ),
    ),
    retryAfter: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Seconds to wait before retrying (429 and 503, also in `Retry-After`).' }),
    ),
  },
  {
    title: 'ProblemDetails',
    additionalProperties: true,
    examples: [
      {
        type: 'urn:aal:problem:request.invalid',
        title: 'Bad Request',
        status: 400,
        detail: 'The request body is invalid: 1 problem(s).',
        instance: '/deployments',
        code: 'REQUEST.INVALID',
        correlationId: '5f0c8a52-7d1e-4a51-9d8e-2b8c1f0e9a11',
        errors: [{ pointer: '/versionId', rule: 'format', detail: '/versionId must match format "uuid"' }],
      },
    ],
  },
);

export type ProblemDetails = Static<typeof ProblemDetailsSchema> & { [extension: string]: unknown };

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem `type` URIs are stable URNs derived from the code, documented in docs/problems.md. */
export function problemType(code: string): string {
  return `urn:aal:problem:${code.toLowerCase()}`;
}

export function issuesToErrors(issues: readonly ValidationIssue[]): NonNullable<ProblemDetails['errors']> {
  return issues.map((i) => ({ pointer: i.pointer, rule: i.rule, detail: `${i.pointer || '/'} ${i.message}` }));
}
