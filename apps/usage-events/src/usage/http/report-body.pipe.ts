import { validateAgainst } from '@aal/contracts';
import { RequestValidationError } from '@aal/http';
import { Injectable, type PipeTransform } from '@nestjs/common';
import type { Static, TSchema } from '@sinclair/typebox';
import { explainIdentifyingMembers } from './identifying-members';

/**
 * The request-body check of every usage report: SchemaPipe's (one 400 REQUEST.INVALID listing
 * each issue with its JSON Pointer), with members that would identify a patient explained
 * (see explainIdentifyingMembers). Batches check their items with the same two steps.
 */
@Injectable()
export class ReportBodyPipe<S extends TSchema> implements PipeTransform<unknown, Static<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): Static<S> {
    const issues = explainIdentifyingMembers(validateAgainst(this.schema, value));
    if (issues.length > 0) throw new RequestValidationError(issues, 'body');
    return value as Static<S>;
  }
}
