import { actionKind, asArray, isObject, PSEUDONYM_SYSTEM, Reader, USAGE_ACTION_SYSTEM, type Json, type Mapping } from './fhir-mapping';

/**
 * An R4 AuditEvent saying an output was presented to, or acted on by, a professional:
 * `subtype` (one coding from urn:aal:usage-action) says what happened, `recorded` when,
 * the one `agent` who (pseudonym identifier and role), the `entity` naming the output
 * (urn:aal:output-id) which output; `source.site` is the site of a presentation, `period` the
 * review of an action and an output entity's `detail` of type `rationale` its rationale.
 * Another entity may name the subject by pseudonym; it is checked and not recorded.
 */
export function mapAuditEvent(resource: unknown): Mapping {
  const r = new Reader();
  if (!isObject(resource) || resource['resourceType'] !== 'AuditEvent') {
    r.fail('invalid', 'AuditEvent.resourceType', 'the body must be a FHIR AuditEvent resource (resourceType AuditEvent)');
    return { ok: false, issues: r.issues };
  }
  const code = r.codeIn(resource['subtype'], 'AuditEvent.subtype', USAGE_ACTION_SYSTEM);
  const mapped = actionKind(code, 'AuditEvent.subtype', r, true);
  const occurredAt = r.instant(resource['recorded'], 'AuditEvent.recorded');

  const agents = asArray(resource['agent']) ?? [];
  if (agents.length !== 1 || !isObject(agents[0]))
    r.fail(
      agents.length === 0 ? 'required' : 'not-supported',
      'AuditEvent.agent',
      'AuditEvent.agent must hold exactly one agent: the professional',
    );
  const agent = isObject(agents[0]) ? agents[0] : {};
  const personId = r.pseudonym(agent['who'], 'AuditEvent.agent[0].who');
  const role = r.role(agent['role'], 'AuditEvent.agent[0].role');

  let output: { id: string | undefined; index: number; entity: Json } | undefined;
  const entities = asArray(resource['entity']);
  if (!entities || entities.length === 0)
    r.fail('required', 'AuditEvent.entity', `AuditEvent.entity must name the AI output (identifier system urn:aal:output-id)`);
  (entities ?? []).forEach((entity, i) => {
    const path = `AuditEvent.entity[${i}]`;
    const what = isObject(entity) ? entity['what'] : undefined;
    const identifier = isObject(what) ? what['identifier'] : undefined;
    if (isObject(identifier) && identifier['system'] === PSEUDONYM_SYSTEM) {
      r.pseudonym(what, `${path}.what`);
      return;
    }
    if (isObject(what) && what['reference'] !== undefined) {
      r.output(what, `${path}.what`); // refuses the literal reference, naming a Patient one as such
      return;
    }
    if (output) {
      r.fail('not-supported', path, `${path}: only one output entity is supported (the first is ${`AuditEvent.entity[${output.index}]`})`);
      return;
    }
    output = { id: r.output(what, `${path}.what`), index: i, entity: isObject(entity) ? entity : {} };
  });

  const outputPath = `AuditEvent.entity[${output?.index ?? 0}]`;
  const expressions: Record<string, string> = {
    '/outputId': `${outputPath}.what.identifier.value`,
    '/professional': 'AuditEvent.agent[0]',
    '/professional/personId': 'AuditEvent.agent[0].who.identifier.value',
    '/professional/role': 'AuditEvent.agent[0].role',
    '/occurredAt': 'AuditEvent.recorded',
    '/site': 'AuditEvent.source.site',
    '/action': 'AuditEvent.subtype',
    '/reviewDurationSeconds': 'AuditEvent.period',
    '/rationale': `${outputPath}.detail`,
  };
  if (!mapped) return { ok: false, issues: r.issues };
  const common = { outputId: output?.id, professional: { personId, role }, occurredAt };
  if (mapped.kind === 'output.presented') {
    const source = resource['source'];
    const site = r.string(isObject(source) ? source['site'] : undefined, 'AuditEvent.source.site');
    if (r.issues.length > 0) return { ok: false, issues: r.issues };
    return { ok: true, kind: mapped.kind, body: { ...common, site }, expressions };
  }
  const reviewDurationSeconds = r.durationSeconds(resource['period'], 'AuditEvent.period');
  const details = asArray(output?.entity['detail']) ?? [];
  const at = details.findIndex((d) => isObject(d) && d['type'] === 'rationale');
  const rationale = at < 0 ? undefined : r.string((details[at] as Json)['valueString'], `${outputPath}.detail[${at}].valueString`);
  if (at >= 0) expressions['/rationale'] = `${outputPath}.detail[${at}].valueString`;
  if (r.issues.length > 0) return { ok: false, issues: r.issues };
  return {
    ok: true,
    kind: mapped.kind,
    body: { ...common, action: mapped.action, ...(rationale !== undefined ? { rationale } : {}), reviewDurationSeconds },
    expressions,
  };
}
