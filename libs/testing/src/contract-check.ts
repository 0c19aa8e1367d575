import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3 document the contract check reads. */
export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
  readonly components?: object;
}

/** One HTTP answer as a test received it. */
export interface ObservedAnswer {
  readonly method: string;
  /** The request path, with its query if any. */
  readonly path: string;
  readonly status: number;
  readonly contentType: string | null;
  readonly body: unknown;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new WeakMap<object, Map<object, ValidateFunction>>();

const PROBLEM_TYPE = 'application/problem+json';

/**
 * Why `answer` breaks `document`, or undefined when it keeps it: the route's operation must
 * document the status, and a body in a documented media type must validate against its schema.
 * Paths the document does not hold (health, metrics, an unknown route) are only checked when the
 * answer is a problem: against the document's ProblemDetails. Answers of an operation that
 * documents the status without any content are accepted (libs/client lists those routes).
 */
export function contractViolation(document: OpenApiDocument, answer: ObservedAnswer): string | undefined {
  const where = `${answer.method.toUpperCase()} ${answer.path} answered ${answer.status}`;
  const mediaType = answer.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  const operation = findOperation(document, answer.method, answer.path);
  if (!operation) {
    if (mediaType !== PROBLEM_TYPE) return undefined;
    return schemaViolation(document, { $ref: '#/components/schemas/ProblemDetails' }, answer.body, where);
  }
  const responses = operation.operation.responses ?? {};
  const response = responses[String(answer.status)] ?? responses[`${String(answer.status)[0]}XX`] ?? responses['default'];
  if (!response) {
    return `${where}, which ${operation.template} does not document (documented: ${Object.keys(responses).join(', ')})`;
  }
  if (!response.content || answer.body === undefined) return undefined;
  const documented = response.content[mediaType];
  if (!documented) {
    return `${where} as ${mediaType || 'no media type'}, which ${operation.template} does not document for ${answer.status} (documented: ${Object.keys(response.content).join(', ')})`;
  }
  if (!documented.schema || !/json$/.test(mediaType)) return undefined;
  return schemaViolation(document, documented.schema, answer.body, `${where} (${operation.template})`);
}

function schemaViolation(document: OpenApiDocument, schema: object, body: unknown, where: string): string | undefined {
  let byDocument = compiled.get(document);
  if (!byDocument) {
    byDocument = new Map();
    compiled.set(document, byDocument);
  }
  let validate = byDocument.get(schema);
  if (!validate) {
    // The references (#/components/...) resolve against this root, which carries the document's components.
    validate = ajv.compile({ allOf: [schema], components: document.components ?? {} });
    byDocument.set(schema, validate);
  }
  if (validate(body)) return undefined;
  const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
  return `${where} with a body its documented schema refuses: ${errors.join('; ')}; body ${JSON.stringify(body)?.slice(0, 300)}`;
}

/** The operation of `method` whose path template matches `path`; literal segments win over parameters. */
function findOperation(document: OpenApiDocument, method: string, path: string) {
  const bare = path.split('?')[0]!;
  const candidates = Object.keys(document.paths)
    .filter((template) => templatePattern(template).test(bare))
    .sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  for (const template of candidates) {
    const operation = document.paths[template]![method.toLowerCase()];
    if (operation) return { template, operation };
  }
  return undefined;
}

const patterns = new Map<string, RegExp>();
function templatePattern(template: string): RegExp {
  let pattern = patterns.get(template);
  if (!pattern) {
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    pattern = new RegExp(`^${source}$`);
    patterns.set(template, pattern);
  }
  return pattern;
}
