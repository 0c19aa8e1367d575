import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { operationOutcome, type OutcomeIssue } from '../domain/fhir-mapping';

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

/** Renders FhirRefusal; every other error goes on to the service-wide problem filter. */
@Catch(FhirRefusal)
export class OperationOutcomeFilter implements ExceptionFilter {
  catch(error: FhirRefusal, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    res.status(error.status).type(FHIR_JSON).send(JSON.stringify(operationOutcome(error.issues)));
  }
}
