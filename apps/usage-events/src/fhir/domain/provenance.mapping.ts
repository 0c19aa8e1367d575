import { actionKind, asArray, isObject, Reader, USAGE_ACTION_SYSTEM, type Json, type Mapping } from './fhir-mapping';

const PARTICIPANT_TYPES = new Set(['author', 'verifier']);

/**
 * An R4 Provenance saying what a professional did with an output: `target` (one, by
 * urn:aal:output-id) is the output, `activity` (one coding from urn:aal:usage-action: accepted,
 * modified, overridden, ignored or escalated) the action, `recorded` when, the one `agent`
 * (type author or verifier; pseudonym identifier and role) who, `occurredPeriod` the review,
 * `reason[0].text` the rationale. An `entity` must have role `source` and name the same output.
 */
export function mapProvenance(resource: unknown): Mapping {
  const r = new Reader();
  if (!isObject(resource) || resource['resourceType'] !== 'Provenance') {
    r.fail('invalid', 'Provenance.resourceType', 'the body must be a FHIR Provenance resource (resourceType Provenance)');
    return { ok: false, issues: r.issues };
  }
  const targets = asArray(resource['target']) ?? [];
  if (targets.length !== 1)
    r.fail(
      targets.length === 0 ? 'required' : 'not-supported',
      'Provenance.target',
      'Provenance.target must hold exactly one reference: the AI output',
    );
  const outputId = targets.length === 1 ? r.output(targets[0], 'Provenance.target[0]') : undefined;
  const occurredAt = r.instant(resource['recorded'], 'Provenance.recorded');
  const activity = resource['activity'];
  const code = r.codeIn(isObject(activity) ? activity['coding'] : undefined, 'Provenance.activity.coding', USAGE_ACTION_SYSTEM);
  const mapped = actionKind(code, 'Provenance.activity', r, false);

  const agents = asArray(resource['agent']) ?? [];
  if (agents.length !== 1 || !isObject(agents[0]))
    r.fail(
      agents.length === 0 ? 'required' : 'not-supported',
      'Provenance.agent',
      'Provenance.agent must hold exactly one agent: the professional',
    );
  const agent: Json = isObject(agents[0]) ? agents[0] : {};
  const typeCodes = (asArray(isObject(agent['type']) ? (agent['type'] as Json)['coding'] : undefined) ?? []).map((c) =>
    isObject(c) ? c['code'] : undefined,
  );
  if (agent['type'] !== undefined && !typeCodes.some((c) => typeof c === 'string' && PARTICIPANT_TYPES.has(c))) {
    r.fail(
      'not-supported',
      'Provenance.agent[0].type',
      'Provenance.agent[0].type must be author or verifier (provenance-participant-type)',
    );
  }
  const personId = r.pseudonym(agent['who'], 'Provenance.agent[0].who');
  const role = r.role(agent['role'], 'Provenance.agent[0].role');

  (asArray(resource['entity']) ?? []).forEach((entity, i) => {
    const path = `Provenance.entity[${i}]`;
    if (!isObject(entity) || entity['role'] !== 'source') {
      r.fail('not-supported', `${path}.role`, `${path}.role must be source (the model output the action was taken on)`);
      return;
    }
    const source = r.output(entity['what'], `${path}.what`);
    if (source !== undefined && outputId !== undefined && source !== outputId) {
      r.fail('invalid', `${path}.what.identifier.value`, `${path} names output ${source} but the target is output ${outputId}`);
    }
  });

  const reviewDurationSeconds = r.durationSeconds(resource['occurredPeriod'], 'Provenance.occurredPeriod');
  const reason = asArray(resource['reason'])?.[0];
  const rationale = reason === undefined ? undefined : r.string(isObject(reason) ? reason['text'] : undefined, 'Provenance.reason[0].text');
  if (!mapped || r.issues.length > 0) return { ok: false, issues: r.issues };
  return {
    ok: true,
    kind: mapped.kind,
    body: {
      outputId,
      professional: { personId, role },
      action: mapped.action,
      ...(rationale !== undefined ? { rationale } : {}),
      reviewDurationSeconds,
      occurredAt,
    },
    expressions: {
      '/outputId': 'Provenance.target[0].identifier.value',
      '/professional': 'Provenance.agent[0]',
      '/professional/personId': 'Provenance.agent[0].who.identifier.value',
      '/professional/role': 'Provenance.agent[0].role',
      '/occurredAt': 'Provenance.recorded',
      '/action': 'Provenance.activity',
      '/reviewDurationSeconds': 'Provenance.occurredPeriod',
      '/rationale': 'Provenance.reason[0].text',
    },
  };
}
