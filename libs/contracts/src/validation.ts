import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';

/** One failed rule, located by a JSON Pointer into the validated document. */
export interface ValidationIssue {
  /** JSON Pointer, e.g. `/data/setting/sites/0`; empty for the document itself. */
  readonly pointer: string;
  /** The JSON Schema keyword that failed, e.g. `required`, `pattern`, `additionalProperties`. */
  readonly rule: string;
  readonly message: string;
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv, ['date-time', 'date', 'uuid', 'uri', 'uri-reference']);

const cache = new WeakMap<TSchema, ValidateFunction>();

function compiled(schema: TSchema): ValidateFunction {
  let fn = cache.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    cache.set(schema, fn);
  }
  return fn;
}

function toIssue(error: ErrorObject, prefix: string): ValidationIssue {
  const params = error.params as Record<string, unknown>;
  // Point at the offending property itself rather than its parent object.
  const child = (params['missingProperty'] as string | undefined) ?? (params['additionalProperty'] as string | undefined);
  const pointer = `${prefix}${error.instancePath}${child !== undefined ? `/${child}` : ''}`;
  const message =
    error.keyword === 'additionalProperties'
      ? 'is not an allowed property'
      : error.keyword === 'required'
        ? 'is required'
        : (error.message ?? 'is invalid');
  return { pointer, rule: error.keyword, message };
}

/** Validates `value` against a JSON Schema and returns every issue (empty when valid). */
export function validateAgainst(schema: TSchema, value: unknown, pointerPrefix = ''): ValidationIssue[] {
  const fn = compiled(schema);
  if (fn(value)) return [];
  // `anyOf` over literals reports one error per branch; the enum-like summary is clearer.
  const issues = (fn.errors ?? []).map((e) => toIssue(e, pointerPrefix));
  return dedupeLiteralUnions(issues);
}

function dedupeLiteralUnions(issues: ValidationIssue[]): ValidationIssue[] {
  const anyOfPointers = new Set(issues.filter((i) => i.rule === 'anyOf').map((i) => i.pointer));
  return issues.filter((i) => i.rule === 'anyOf' || !(anyOfPointers.has(i.pointer) && i.rule === 'const'));
}

export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.pointer || '/'} ${i.message} (${i.rule})`).join('; ');
}
