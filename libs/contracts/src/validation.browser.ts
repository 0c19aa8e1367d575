import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { fullFormats } from 'ajv-formats/dist/formats';
import type { ValidationIssue } from './validation';

/*
 * The browser's validation.ts: the same exports, checking the same TypeBox schemas with TypeBox's
 * own interpreter (`Value.Check`/`Value.Errors`). Ajv compiles validators with `new Function`,
 * which the investigator page's CSP (`script-src 'self'`, no 'unsafe-eval') forbids; the browser
 * bundle (scripts/bundle-web.js) swaps this module in for validation.ts. The formats are
 * ajv-formats' own "full" definitions (plain regular expressions and functions), so a string
 * passes here exactly when it passes on the server. validation.browser.unit.test.ts checks both
 * agree over every event of the catalogue.
 */
export type { ValidationIssue } from './validation';

const FORMATS = ['date-time', 'date', 'uuid', 'uri', 'uri-reference'] as const;
for (const name of FORMATS) {
  const definition: unknown = fullFormats[name];
  const check =
    definition instanceof RegExp
      ? (v: string) => definition.test(v)
      : typeof definition === 'function'
        ? (definition as (v: string) => boolean)
        : (definition as { validate: RegExp | ((v: string) => boolean) }).validate;
  const test = check instanceof RegExp ? (v: string) => check.test(v) : check;
  if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, test);
}

/** JSON Schema keyword names for TypeBox's error kinds, as Ajv reports them. */
const RULES: Partial<Record<ValueErrorType, string>> = {
  [ValueErrorType.ObjectRequiredProperty]: 'required',
  [ValueErrorType.ObjectAdditionalProperties]: 'additionalProperties',
  [ValueErrorType.ObjectMinProperties]: 'minProperties',
  [ValueErrorType.ObjectMaxProperties]: 'maxProperties',
  [ValueErrorType.StringPattern]: 'pattern',
  [ValueErrorType.StringFormat]: 'format',
  [ValueErrorType.StringFormatUnknown]: 'format',
  [ValueErrorType.StringMinLength]: 'minLength',
  [ValueErrorType.StringMaxLength]: 'maxLength',
  [ValueErrorType.ArrayMinItems]: 'minItems',
  [ValueErrorType.ArrayMaxItems]: 'maxItems',
  [ValueErrorType.ArrayUniqueItems]: 'uniqueItems',
  [ValueErrorType.NumberMinimum]: 'minimum',
  [ValueErrorType.NumberMaximum]: 'maximum',
  [ValueErrorType.IntegerMinimum]: 'minimum',
  [ValueErrorType.IntegerMaximum]: 'maximum',
  [ValueErrorType.Literal]: 'const',
  [ValueErrorType.Union]: 'anyOf',
};

function toIssue(error: ValueError, prefix: string): ValidationIssue {
  const rule = RULES[error.type] ?? 'type';
  const message = rule === 'additionalProperties' ? 'is not an allowed property' : rule === 'required' ? 'is required' : error.message;
  return { pointer: `${prefix}${error.path}`, rule, message };
}

/** Validates `value` against a JSON Schema and returns every issue (empty when valid). */
export function validateAgainst(schema: TSchema, value: unknown, pointerPrefix = ''): ValidationIssue[] {
  if (Value.Check(schema, value)) return [];
  const issues = [...Value.Errors(schema, value)].map((e) => toIssue(e, pointerPrefix));
  // TypeBox reports a missing required property twice (as required and as the property's type).
  const required = new Set(issues.filter((i) => i.rule === 'required').map((i) => i.pointer));
  return issues.filter((i) => i.rule === 'required' || !required.has(i.pointer));
}

export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.pointer || '/'} ${i.message} (${i.rule})`).join('; ');
}
