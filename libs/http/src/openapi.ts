import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type OpenAPIObject } from '@nestjs/swagger';
import type { Static, TSchema } from '@sinclair/typebox';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsSchema } from './problem-details';

/** The name of the bearer security scheme (`@ApiBearerAuth()`'s default, which `@Access` applies). */
export const BEARER_SCHEME = 'bearer';

const PROBLEM_REF = { $ref: '#/components/schemas/ProblemDetails' };

/**
 * The type of an answer documented by `schema`, read-only all the way down: handlers return their
 * (immutable) state as it is, and the compiler checks it against the documented schema.
 */
export type AnswerOf<S extends TSchema> = DeepReadonly<Static<S>>;
type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A TypeBox schema as plain JSON Schema (TypeBox's symbol keys dropped), for the document. */
export function jsonSchemaOf(schema: TSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

/**
 * Documents a route's success answer with the schema its handler's return type is derived from
 * (`Promise<Static<typeof Schema>>`), so the document, the types and the answer are one definition.
 * The schema's first `examples` entry becomes the response example. A text or binary answer names its
 * media type (its schema is then a string's).
 */
export function ApiAnswer(
  status: number,
  schema: TSchema,
  description: string = schema.description ?? 'The answer.',
  mediaType = 'application/json',
) {
  const example = (schema.examples as unknown[] | undefined)?.[0];
  return ApiResponse({
    status,
    description,
    content: { [mediaType]: { schema: jsonSchemaOf(schema), ...(example === undefined ? {} : { example }) } },
  });
}

/** Documents the route-specific error statuses (a domain's not-found, conflict, rule violated) as problem details. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: PROBLEM_DESCRIPTIONS[status] ?? 'A problem.', content: problemContent() }),
    ),
  );
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is invalid: malformed or too deep JSON, text that cannot be stored, or a field breaking its schema (`errors[]` names each by JSON Pointer).',
  401: 'No bearer token, or one that is expired, not signed by the identity provider, or for another audience.',
  403: "The caller's role or organisation may not do this.",
  404: 'No such record (or none the caller may see).',
  409: 'The request conflicts with the record as it stands (its state, or an earlier request with the same key).',
  413: 'The request body is larger than the service accepts.',
  415: 'The request body is in an encoding or charset the service does not read.',
  422: 'The request is well formed but breaks a rule of the domain.',
  429: 'Too many requests from this caller; retry after `Retry-After` seconds.',
  500: 'An unexpected error; quote the correlation id when reporting it.',
  503: 'The service pushes back (its database or Kafka is unavailable, or it is overloaded); retry after `Retry-After` seconds.',
};

function problemContent() {
  return { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_REF } };
}

type Operation = {
  parameters?: Array<{ in?: string }>;
  requestBody?: unknown;
  responses: Record<string, unknown>;
  security?: unknown[];
  'x-aal-public'?: string;
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * Finishes a service's document: the bearer (JWT) security scheme, the one problem details schema,
 * and on every operation the error statuses any route of that kind can answer through the one
 * problem filter (validation, domain errors of every kind, authentication and access for secured routes,
 * rate limit, push back, internal error; body limits where there is a body). A route that documents its own
 * error format for a status (FHIR's OperationOutcome) gets the problem beside it: the guards and
 * the problem filter still answer it for authentication, rate limits and push backs.
 */
export function completeServiceDocument(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, ProblemDetails: jsonSchemaOf(ProblemDetailsSchema) };
  document.components.securitySchemes = {
    ...document.components.securitySchemes,
    [BEARER_SCHEME]: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        "A JWT from the organisation's identity provider (issuer, audience and algorithm pinned per service), naming the caller's organisation, person and roles.",
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      for (const status of commonProblemStatuses(operation)) {
        // A route that documents its own error format for a status (FHIR's OperationOutcome) may answer a problem too.
        const declared = operation.responses[String(status)] as { description: string; content?: object } | undefined;
        const response = declared ?? { description: PROBLEM_DESCRIPTIONS[status] ?? 'A problem.' };
        operation.responses[String(status)] = { ...response, content: { ...response.content, ...problemContent() } };
      }
    }
  }
  return document;
}

function commonProblemStatuses(operation: Operation): number[] {
  const secured = operation['x-aal-public'] === undefined;
  // Any handler may meet a domain error of any kind: a record that does not exist (yet), a state
  // it conflicts with (a closed case), a rule it breaks.
  const statuses = [400, 404, 409, 422, 429, 500, 503];
  if (secured) statuses.push(401, 403);
  if (operation.requestBody !== undefined) statuses.push(413, 415);
  return statuses.sort((a, b) => a - b);
}
