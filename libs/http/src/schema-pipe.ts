import { validateAgainst } from '@aal/contracts';
import { Injectable, type PipeTransform } from '@nestjs/common';
import type { Static, TSchema } from '@sinclair/typebox';
import { RequestValidationError } from './request-validation.error';

/**
 * Validates a request part against a TypeBox schema (the same machinery as event contracts):
 * unknown properties, wrong types and broken rules all become one 400 problem listing each.
 */
@Injectable()
export class SchemaPipe<S extends TSchema> implements PipeTransform<unknown, Static<S>> {
  constructor(
    private readonly schema: S,
    private readonly where: 'body' | 'query' | 'path' = 'body',
  ) {}

  transform(value: unknown): Static<S> {
    const issues = validateAgainst(this.schema, value);
    if (issues.length > 0) throw new RequestValidationError(issues, this.where);
    return value as Static<S>;
  }
}
