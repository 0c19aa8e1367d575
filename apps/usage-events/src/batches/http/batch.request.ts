import { validateAgainst } from '@aal/contracts';
import { HttpProblem, RequestValidationError } from '@aal/http';
import { Type } from '@sinclair/typebox';
import type { ReportRefusal } from '../../reports/domain/fold-reports';
import { explainIdentifyingMembers } from '../../usage/http/identifying-members';
import { REPORT_BODIES, REPORT_KINDS, type ReportKind } from '../../reports/http/report-requests';

/** Most items one batch may hold; more is refused whole with 413 BATCH.TOO_LARGE. */
export const MAX_BATCH_ITEMS = 5000;
/** JSON body limit of POST /batches: 5,000 items of about 1 KB each, with room to spare. Other routes keep 1 MB. */
export const BATCH_BODY_LIMIT = '10mb';

/** The envelope only; each item's body is checked against its kind's schema afterwards, so pointers can name the item. */
const BatchEnvelope = Type.Object({ items: Type.Array(Type.Unknown(), { minItems: 1 }) }, { additionalProperties: false });

/** For OpenAPI: the documented shape of a batch. */
export const BatchRequestDoc = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        kind: Type.Union(REPORT_KINDS.map((k) => Type.Literal(k))),
        body: Type.Object(
          {},
          { description: "Exactly the single endpoint's body; outputId in the body for output.presented and output.acted-on." },
        ),
      }),
      { minItems: 1, maxItems: MAX_BATCH_ITEMS },
    ),
  },
  { additionalProperties: false },
);

export interface BatchItem {
  readonly kind: ReportKind;
  readonly body: unknown;
}

/** One refused item of a batch, as listed in the problem's `errors[]`. */
export interface BatchItemError {
  readonly index: number;
  readonly pointer: string;
  readonly code: string;
  readonly rule: string;
  readonly detail: string;
}

const KINDS: ReadonlySet<string> = new Set(REPORT_KINDS);

/**
 * Checks a whole batch before anything is applied: the item count first (413), then the
 * envelope (400 REQUEST.INVALID), then every item against its kind's body schema, collecting
 * every failing item (400 BATCH.REJECTED with JSON Pointers such as `/items/3/body/outputId`).
 */
export function parseBatch(body: unknown): BatchItem[] {
  const count = Array.isArray((body as { items?: unknown } | null)?.items) ? (body as { items: unknown[] }).items.length : 0;
  if (count > MAX_BATCH_ITEMS) {
    throw new HttpProblem(413, 'BATCH.TOO_LARGE', `a batch may hold at most ${MAX_BATCH_ITEMS} items; this one holds ${count}: split it`, {
      maxItems: MAX_BATCH_ITEMS,
      items: count,
    });
  }
  const envelope = validateAgainst(BatchEnvelope, body);
  if (envelope.length > 0) throw new RequestValidationError(envelope);

  const errors: BatchItemError[] = [];
  const items = (body as { items: unknown[] }).items;
  items.forEach((item, index) => {
    const at = `/items/${index}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ index, pointer: at, code: 'REQUEST.INVALID', rule: 'type', detail: `${at} must be an object with kind and body` });
      return;
    }
    const { kind, body: itemBody, ...rest } = item as Record<string, unknown>;
    for (const extra of Object.keys(rest)) {
      errors.push({
        index,
        pointer: `${at}/${extra}`,
        code: 'REQUEST.INVALID',
        rule: 'additionalProperties',
        detail: `${at}/${extra} is not an allowed property`,
      });
    }
    if (typeof kind !== 'string' || !KINDS.has(kind)) {
      errors.push({
        index,
        pointer: `${at}/kind`,
        code: 'REQUEST.INVALID',
        rule: 'enum',
        detail: `${at}/kind must be one of ${REPORT_KINDS.join(', ')}`,
      });
      return;
    }
    for (const issue of explainIdentifyingMembers(validateAgainst(REPORT_BODIES[kind as ReportKind], itemBody, `${at}/body`))) {
      errors.push({
        index,
        pointer: issue.pointer,
        code: 'REQUEST.INVALID',
        rule: issue.rule,
        detail: `${issue.pointer} ${issue.message}`,
      });
    }
  });
  if (errors.length > 0) throw batchRejected(400, errors, items.length);
  return items as BatchItem[];
}

/** The refusals of a domain decision, located in the batch: each refusal's own pointers are prefixed with its item's body. */
export function refusalErrors(refusals: readonly ReportRefusal[]): BatchItemError[] {
  return refusals.flatMap(({ index, error }) => {
    const at = `/items/${index}/body`;
    const located = (error.context['errors'] as Array<{ pointer: string; rule: string; detail: string }> | undefined) ?? [];
    if (located.length === 0) return [{ index, pointer: at, code: error.code, rule: error.kind, detail: error.detail }];
    return located.map((e) => ({ index, pointer: `${at}${e.pointer}`, code: error.code, rule: e.rule, detail: error.detail }));
  });
}

/** The one problem a refused batch gets: 400 for schema errors, 422 for domain refusals. Nothing was stored. */
export function batchRejected(status: 400 | 422, errors: readonly BatchItemError[], total: number): HttpProblem {
  const indexes = [...new Set(errors.map((e) => e.index))];
  return new HttpProblem(
    status,
    'BATCH.REJECTED',
    `${indexes.length} of ${total} item(s) were refused (item${indexes.length === 1 ? '' : 's'} ${indexes.slice(0, 20).join(', ')}${indexes.length > 20 ? ', …' : ''}); nothing in the batch was stored`,
    { errors },
  );
}
