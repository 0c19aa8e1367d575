import type { TSchema } from '@sinclair/typebox';
import { findEventDefinition } from './catalogue';
import { OrganisationId } from './common.schema';
import type { EventDefinition } from './event-definition';

/** A place in an event's data that names an organisation, and the organisation it names. */
export interface NamedOrganisation {
  /** JSON Pointer into the event's `data`, e.g. `/actor/organisationId` or `/setting/organisations/0`. */
  readonly pointer: string;
  readonly organisationId: string;
}

type Step = { readonly property: string } | { readonly items: true };

const pathsByType = new Map<string, Step[][]>();

/**
 * Every organisation an event's data names (the actor's organisation, a vendor, an employer, …),
 * found where its schema uses the one `OrganisationId` definition, so a new event type is covered
 * without a list to keep up to date. Unknown types name none.
 */
export function organisationsNamed(type: string, data: unknown): NamedOrganisation[] {
  const definition = findEventDefinition(type);
  if (!definition) return [];
  const found: NamedOrganisation[] = [];
  for (const path of organisationPaths(definition)) collect(data, path, '', found);
  return found;
}

function organisationPaths(definition: EventDefinition): Step[][] {
  let paths = pathsByType.get(definition.type);
  if (!paths) {
    paths = [];
    walk(definition.schema, [], paths);
    pathsByType.set(definition.type, paths);
  }
  return paths;
}

function isOrganisationId(schema: TSchema): boolean {
  return schema['type'] === 'string' && schema['pattern'] === OrganisationId.pattern;
}

function walk(schema: TSchema, at: Step[], out: Step[][]): void {
  if (isOrganisationId(schema)) {
    out.push(at);
    return;
  }
  const properties = schema['properties'] as Record<string, TSchema> | undefined;
  if (properties) for (const [name, child] of Object.entries(properties)) walk(child, [...at, { property: name }], out);
  const items = schema['items'] as TSchema | undefined;
  if (items && !Array.isArray(items)) walk(items, [...at, { items: true }], out);
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[keyword] as TSchema[] | undefined;
    if (branches) for (const branch of branches) walk(branch, at, out);
  }
}

function collect(value: unknown, path: readonly Step[], pointer: string, out: NamedOrganisation[]): void {
  if (path.length === 0) {
    if (typeof value === 'string' && !out.some((o) => o.pointer === pointer)) out.push({ pointer, organisationId: value });
    return;
  }
  const [step, ...rest] = path as [Step, ...Step[]];
  if ('items' in step) {
    if (Array.isArray(value))
      value.forEach((item, i) => {
        collect(item, rest, `${pointer}/${i}`, out);
      });
    return;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, step.property)) {
    collect((value as Record<string, unknown>)[step.property], rest, `${pointer}/${escapePointer(step.property)}`, out);
  }
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
