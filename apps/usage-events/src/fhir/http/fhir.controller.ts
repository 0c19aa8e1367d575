import { Access } from '@aal/auth';
import { validateAgainst } from '@aal/contracts';
import { DomainError, type DomainErrorKind } from '@aal/domain';
import { CurrentCaller, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Controller, HttpCode, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { IdempotentRequest } from '../../idempotency/domain/idempotent-request';
import { OutputAnswer } from '../../outputs/http/output.answers';
import { ApiIdempotencyKey, Idempotency } from '../../idempotency/http/idempotency.http';
import { UsageWrites } from '../../reports/application/usage-writes';
import { REPORT_BODIES, reportContext, reportFor } from '../../reports/http/report-requests';
import { outputAnswer, sendReport } from '../../reports/http/send-report';
import { mapAuditEvent } from '../domain/audit-event.mapping';
import { expressionFor, issue, type IssueCode, type Mapping } from '../domain/fhir-mapping';
import { mapProvenance } from '../domain/provenance.mapping';
import { FHIR_JSON_TYPES } from './fhir-media-types';
import { ApiFhirRefusals, FhirRefusal, OperationOutcomeFilter } from './operation-outcome.filter';

/** How a domain refusal of a mapped resource is answered: FHIR issue type and status. */
const REFUSAL: Record<DomainErrorKind, { status: number; code: IssueCode }> = {
  invalid: { status: 422, code: 'invalid' },
  'rule-violated': { status: 422, code: 'business-rule' },
  'not-found': { status: 404, code: 'not-found' },
  forbidden: { status: 403, code: 'forbidden' },
  conflict: { status: 409, code: 'conflict' },
};

@ApiTags('fhir')
@ApiFhirRefusals()
@Access('clinical-system')
@UseFilters(OperationOutcomeFilter)
@Controller('fhir')
export class FhirController {
  constructor(
    private readonly writes: UsageWrites,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('AuditEvent')
  @HttpCode(201)
  @ApiIdempotencyKey(OutputAnswer)
  @ApiConsumes(...FHIR_JSON_TYPES)
  @ApiBody({ schema: { type: 'object', description: 'FHIR R4 AuditEvent; mapping in docs/fhir-mapping.md' } })
  @ApiOperation({
    summary:
      'Record a presentation or an action from a FHIR R4 AuditEvent; answers like the native endpoint, or 422 with an OperationOutcome.',
  })
  auditEvent(
    @Req() req: Request,
    @CurrentCaller() caller: Caller,
    @Idempotency() idempotency: IdempotentRequest | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.record(req, 'AuditEvent', mapAuditEvent, caller, idempotency, res);
  }

  @Post('Provenance')
  @HttpCode(201)
  @ApiIdempotencyKey(OutputAnswer)
  @ApiConsumes(...FHIR_JSON_TYPES)
  @ApiBody({ schema: { type: 'object', description: 'FHIR R4 Provenance; mapping in docs/fhir-mapping.md' } })
  @ApiOperation({
    summary: 'Record an action on an output from a FHIR R4 Provenance; answers like the native endpoint, or 422 with an OperationOutcome.',
  })
  provenance(
    @Req() req: Request,
    @CurrentCaller() caller: Caller,
    @Idempotency() idempotency: IdempotentRequest | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.record(req, 'Provenance', mapProvenance, caller, idempotency, res);
  }

  private async record(
    req: Request,
    type: string,
    map: (resource: unknown) => Mapping,
    caller: Caller,
    idempotency: IdempotentRequest | undefined,
    res: Response,
  ) {
    if (!req.is(FHIR_JSON_TYPES))
      throw new FhirRefusal(415, [issue('not-supported', type, `the body must be ${FHIR_JSON_TYPES.join(' or ')}`)]);
    const mapping = map(req.body);
    if (!mapping.ok) throw new FhirRefusal(422, mapping.issues);
    const schemaIssues = validateAgainst(REPORT_BODIES[mapping.kind], mapping.body);
    if (schemaIssues.length > 0) {
      throw new FhirRefusal(
        422,
        schemaIssues.map((i) => {
          const expression = expressionFor(i.pointer, mapping.expressions, type);
          return issue(i.rule === 'required' ? 'required' : 'value', expression, `${expression} ${i.message} (maps to ${i.pointer})`);
        }),
      );
    }
    const report = reportFor(mapping.kind, mapping.body as never, reportContext(caller, this.clock));
    try {
      return await sendReport(this.writes, idempotency, res, report, outputAnswer);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const { status, code } = REFUSAL[err.kind];
      const located = (err.context['errors'] as Array<{ pointer: string }> | undefined) ?? [{ pointer: '' }];
      throw new FhirRefusal(
        status,
        located.map((e) => ({
          ...issue(code, expressionFor(e.pointer, mapping.expressions, type), `${err.code}: ${err.detail}`),
          details: { coding: [{ system: 'urn:aal:problem', code: err.code }] },
        })),
      );
    }
  }
}
