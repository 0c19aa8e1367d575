import { applyDecorators, Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { jsonSchemaOf, RequestBodyError, RequestContentError } from '@aal/http';
import { Type } from '@sinclair/typebox';
import type { NextFunction, Request, Response } from 'express';
import { issue, operationOutcome, type IssueCode, type OutcomeIssue } from '../domain/fhir-mapping';

export const FHIR_JSON = 'application/fhir+json';

/** A FHIR request refused; answered with an OperationOutcome (not a problem document), as FHIR clients expect. */
export class FhirRefusal extends Error {
  constructor(
    readonly status: number,
    readonly issues: readonly OutcomeIssue[],
  ) {
    super(issues.map((i) => i.diagnostics).join('; '));
    this.name = 'FhirRefusal';
  }
}

/** The statuses a FHIR route refuses with an OperationOutcome (mapping, body and domain refusals). */
const FHIR_REFUSAL_STATUSES = [400, 403, 404, 409, 413, 415, 422];

const OperationOutcomeSchema = Type.Object({
  resourceType: Type.Literal('OperationOutcome'),
  issue: Type.Array(
    Type.Object({
      severity: Type.String(),
      code: Type.String(),
      diagnostics: Type.Optional(Type.String()),
      expression: Type.Optional(Type.Array(Type.String())),
    }),
    { minItems: 1 },
  ),
});

/** Documents a FHIR route's refusals as FHIR R4 OperationOutcome (the problem filter's answers are added beside them). */
export const ApiFhirRefusals = () =>
  applyDecorators(
    ...FHIR_REFUSAL_STATUSES.map((status) =>
      ApiResponse({
        status,
        description: 'Refused, with a FHIR R4 OperationOutcome naming each element by FHIRPath.',
        content: { [FHIR_JSON]: { schema: jsonSchemaOf(OperationOutcomeSchema) } },
      }),
    ),
  );

/** Renders FhirRefusal; every other error goes on to the service-wide problem filter. */
@Catch(FhirRefusal)
export class OperationOutcomeFilter implements ExceptionFilter {
  catch(error: FhirRefusal, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    res
      .status(error.status)
      .type(FHIR_JSON)
      .send(JSON.stringify(operationOutcome(error.issues)));
  }
}

/** A JSON Pointer into a resource as the FHIRPath of that element, e.g. `/agent/0/role` → `AuditEvent.agent[0].role`. */
function fhirPath(resourceType: string, pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, token) => (/^(0|[1-9][0-9]*)$/.test(token) ? `${path}[${token}]` : `${path}.${token}`), resourceType);
}

/**
 * The body refusals of the shared JSON parser (boundedJsonBody) on /fhir, answered with an
 * OperationOutcome like every other FHIR refusal. Express error middleware, mounted right after
 * the /fhir parser: those refusals happen before Nest routes the request, so no controller filter
 * sees them, and the service-wide filter would write a problem document.
 */
export function fhirBodyRefusal(err: unknown, req: Request, res: Response, next: NextFunction): void {
  const resourceType = req.path.split('/').filter(Boolean)[0] ?? 'Resource';
  const refusal = bodyRefusal(err, resourceType);
  if (!refusal) {
    next(err);
    return;
  }
  res
    .status(refusal.status)
    .type(FHIR_JSON)
    .send(JSON.stringify(operationOutcome(refusal.issues)));
}

function bodyRefusal(err: unknown, resourceType: string): FhirRefusal | undefined {
  const coded = (code: string, issueCode: IssueCode, expression: string, diagnostics: string) => ({
    ...issue(issueCode, expression, diagnostics),
    details: { coding: [{ system: 'urn:aal:problem', code }] },
  });
  if (err instanceof RequestContentError) {
    return new FhirRefusal(
      400,
      err.issues.map((i) =>
        coded(
          err.code,
          err.code === 'REQUEST.TOO_DEEP' ? 'structure' : 'invalid',
          fhirPath(resourceType, i.pointer),
          `${err.code}: ${i.pointer || '/'} ${i.message}`,
        ),
      ),
    );
  }
  if (!(err instanceof RequestBodyError)) return undefined;
  switch (err.parserType) {
    case 'entity.too.large':
      return new FhirRefusal(413, [
        coded('REQUEST.TOO_LARGE', 'too-costly', resourceType, 'the resource is larger than this service accepts'),
      ]);
    case 'entity.parse.failed':
      return new FhirRefusal(400, [
        coded('REQUEST.MALFORMED_JSON', 'structure', resourceType, `the body is not valid JSON: ${err.message}`),
      ]);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new FhirRefusal(415, [coded('REQUEST.UNSUPPORTED_ENCODING', 'not-supported', resourceType, err.message)]);
    default:
      return new FhirRefusal(err.status >= 400 && err.status < 500 ? err.status : 400, [
        coded('REQUEST.UNREADABLE', 'structure', resourceType, 'the body could not be read'),
      ]);
  }
}
