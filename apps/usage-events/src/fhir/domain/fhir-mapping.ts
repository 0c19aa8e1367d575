/**
 * Mapping FHIR R4 resources onto this service's reports. Only the elements read are checked, by
 * hand (see docs/fhir-mapping.md): the result is either a native report (kind and body, exactly
 * what POST /batches items carry) with, for each body field, the FHIRPath it came from, or the
 * issues of an OperationOutcome. Pure: no framework, no I/O.
 */

/** Identifier system of AI output ids (the clinical system's output id). */
export const OUTPUT_ID_SYSTEM = 'urn:aal:output-id';
/** Identifier system of pseudonyms (`psn_…`), for professionals and subjects. */
export const PSEUDONYM_SYSTEM = 'urn:aal:pseudonym';
/** CodeSystem of what happened to an output. */
export const USAGE_ACTION_SYSTEM = 'urn:aal:usage-action';
export const USAGE_ACTIONS = ['generated', 'presented', 'accepted', 'modified', 'overridden', 'ignored', 'escalated'] as const;
export type UsageAction = (typeof USAGE_ACTIONS)[number];

const PSEUDONYM = /^psn_[A-Za-z0-9_-]{8,128}$/;

/** OperationOutcome.issue.code values this mapping uses (FHIR R4 IssueType). */
export type IssueCode =
  | 'invalid'
  | 'required'
  | 'value'
  | 'not-supported'
  | 'structure'
  | 'too-costly'
  | 'not-found'
  | 'conflict'
  | 'forbidden'
  | 'business-rule'
  | 'processing';

export interface OutcomeIssue {
  readonly severity: 'error';
  readonly code: IssueCode;
  readonly diagnostics: string;
  readonly expression: readonly string[];
}

export type MappedKind = 'output.presented' | 'output.acted-on';

export type Mapping =
  | {
      readonly ok: true;
      readonly kind: MappedKind;
      readonly body: Record<string, unknown>;
      readonly expressions: Readonly<Record<string, string>>;
    }
  | { readonly ok: false; readonly issues: readonly OutcomeIssue[] };

export const issue = (code: IssueCode, expression: string, diagnostics: string): OutcomeIssue => ({
  severity: 'error',
  code,
  diagnostics,
  expression: [expression],
});

/** An OperationOutcome (FHIR R4) listing the issues. */
export function operationOutcome(issues: readonly OutcomeIssue[]) {
  return { resourceType: 'OperationOutcome', issue: issues };
}

/**
 * The FHIRPath a body pointer came from: the longest mapped prefix of the pointer, so that
 * `/professional/role` finds the expression of `/professional/role` or of `/professional`.
 */
export function expressionFor(pointer: string, expressions: Readonly<Record<string, string>>, fallback: string): string {
  for (let p = pointer; p.length > 0; p = p.slice(0, p.lastIndexOf('/'))) {
    const found = expressions[p];
    if (found) return found;
  }
  return fallback;
}

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asArray = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);

/** Collects issues while reading a resource. */
export class Reader {
  readonly issues: OutcomeIssue[] = [];

  fail(code: IssueCode, expression: string, diagnostics: string): undefined {
    this.issues.push(issue(code, expression, diagnostics));
    return undefined;
  }

  string(value: unknown, path: string, required = true): string | undefined {
    if (value === undefined) return required ? this.fail('required', path, `${path} is required`) : undefined;
    if (typeof value !== 'string' || value.length === 0) return this.fail('invalid', path, `${path} must be a non-empty string`);
    return value;
  }

  /** A FHIR instant or dateTime with seconds and a zone, read as the RFC 3339 string it is. */
  instant(value: unknown, path: string): string | undefined {
    const s = this.string(value, path);
    if (s === undefined) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) || Number.isNaN(Date.parse(s))) {
      return this.fail('invalid', path, `${path} must be a FHIR instant with a time zone, e.g. 2024-05-01T10:15:00Z`);
    }
    return s;
  }

  /**
   * A reference naming a person, which must be a pseudonym identifier. A literal reference is
   * refused: a `Patient/…` one names a patient record, which never enters the ledger.
   */
  pseudonym(reference: unknown, path: string): string | undefined {
    if (!isObject(reference))
      return this.fail('required', path, `${path} must identify a person by a pseudonym identifier (system ${PSEUDONYM_SYSTEM})`);
    if (reference['reference'] !== undefined) return this.refuseLiteral(reference['reference'], `${path}.reference`);
    return this.identifier(
      reference['identifier'],
      `${path}.identifier`,
      PSEUDONYM_SYSTEM,
      (v) => PSEUDONYM.test(v),
      'a pseudonym (psn_ followed by 8-128 URL-safe characters); patient or staff identifiers are never accepted',
    );
  }

  /** A reference naming an AI output by identifier (system OUTPUT_ID_SYSTEM). */
  output(reference: unknown, path: string): string | undefined {
    if (!isObject(reference))
      return this.fail('required', path, `${path} must identify the AI output (identifier system ${OUTPUT_ID_SYSTEM})`);
    if (reference['reference'] !== undefined) return this.refuseLiteral(reference['reference'], `${path}.reference`);
    return this.identifier(reference['identifier'], `${path}.identifier`, OUTPUT_ID_SYSTEM, () => true, 'an output id');
  }

  private refuseLiteral(reference: unknown, path: string): undefined {
    if (typeof reference === 'string' && /(^|\/)Patient\//.test(reference)) {
      return this.fail(
        'invalid',
        path,
        `${path} is a Patient reference; patient identifiers never enter the ledger, name the subject by pseudonym (system ${PSEUDONYM_SYSTEM})`,
      );
    }
    return this.fail(
      'not-supported',
      path,
      `${path}: literal references are not supported; use an identifier (system ${PSEUDONYM_SYSTEM} or ${OUTPUT_ID_SYSTEM})`,
    );
  }

  private identifier(value: unknown, path: string, system: string, valid: (v: string) => boolean, what: string): string | undefined {
    if (!isObject(value)) return this.fail('required', path, `${path} is required (system ${system})`);
    if (value['system'] !== system)
      return this.fail('invalid', `${path}.system`, `${path}.system must be ${system}; any other identifier is refused`);
    const v = this.string(value['value'], `${path}.value`);
    if (v !== undefined && !valid(v)) return this.fail('invalid', `${path}.value`, `${path}.value must be ${what}`);
    return v;
  }

  /** The code of the one coding with `system` in a CodeableConcept or a Coding list. */
  codeIn(codings: unknown, path: string, system: string): string | undefined {
    const list = asArray(codings);
    if (!list) return this.fail('required', path, `${path} must hold a coding from ${system}`);
    const matches = list.map((c, i) => [c, i] as const).filter(([c]) => isObject(c) && c['system'] === system);
    if (matches.length !== 1)
      return this.fail(matches.length === 0 ? 'required' : 'invalid', path, `${path} must hold exactly one coding from ${system}`);
    const [coding, i] = matches[0]!;
    return this.string((coding as Json)['code'], `${path}[${i}].code`);
  }

  /** A role code: the first coding's code of the first role, else its text. */
  role(roles: unknown, path: string): string | undefined {
    const first = asArray(roles)?.[0];
    if (!isObject(first))
      return this.fail('required', path, `${path} must give the professional's role (coding code or text, e.g. staff-nurse)`);
    const coding = asArray(first['coding'])?.[0];
    const code = isObject(coding) ? coding['code'] : first['text'];
    return this.string(code, isObject(coding) ? `${path}[0].coding[0].code` : `${path}[0].text`);
  }

  /** Seconds between `period.start` and `period.end`, as a whole number. */
  durationSeconds(period: unknown, path: string): number | undefined {
    if (!isObject(period))
      return this.fail('required', path, `${path} (start and end of the review) is required to give the review duration`);
    const start = this.instant(period['start'], `${path}.start`);
    const end = this.instant(period['end'], `${path}.end`);
    if (start === undefined || end === undefined) return undefined;
    const seconds = Math.round((Date.parse(end) - Date.parse(start)) / 1000);
    if (seconds < 0) return this.fail('invalid', path, `${path}.end is before ${path}.start`);
    return seconds;
  }
}

/** An action code read from `urn:aal:usage-action`: presented, an action on the output, or refused. */
export function actionKind(
  code: string | undefined,
  path: string,
  reader: Reader,
  allowPresented: boolean,
): { kind: MappedKind; action?: string } | undefined {
  if (code === undefined) return undefined;
  if (!(USAGE_ACTIONS as readonly string[]).includes(code)) {
    return reader.fail('not-supported', path, `${path}: code ${code} is not in ${USAGE_ACTION_SYSTEM} (${USAGE_ACTIONS.join(', ')})`);
  }
  if (code === 'generated') {
    return reader.fail(
      'not-supported',
      path,
      `${path}: generated outputs cannot be reported through FHIR (deployment, model version and digest have no mapping); use POST /outputs`,
    );
  }
  if (code === 'presented') {
    return allowPresented
      ? { kind: 'output.presented' }
      : reader.fail('not-supported', path, `${path}: presented is reported with an AuditEvent, not a Provenance`);
  }
  return { kind: 'output.acted-on', action: code };
}
