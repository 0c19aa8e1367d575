import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { EVENT_CATALOGUE, eventsProducedBy, findEventDefinition, latestDefinition } from './catalogue';
import { CloudEventAttributes } from './cloud-event';
import { EVENT_TYPE_PREFIX, type ProducerName } from './event-definition';
import { SERVICE_NAMES } from './services';
import { topicNames } from './topics';
import { validateAgainst } from './validation';

/** A fresh validator, as a consumer outside this repository would build from the published JSON. */
function strictAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv, ['date-time', 'date', 'uuid', 'uri', 'uri-reference']);
  return ajv;
}

const definitions = EVENT_CATALOGUE.map((d) => [d.type, d] as const);

/**
 * Pointers to everything JSON.stringify would drop or change (functions, undefined, non-finite
 * numbers, class instances such as RegExp). TypeBox's own symbol-keyed markers are not JSON and
 * are not looked at.
 */
function nonJsonValues(value: unknown, pointer = ''): string[] {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return [];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [pointer];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonJsonValues(v, `${pointer}/${i}`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.entries(value).flatMap(([k, v]) => nonJsonValues(v, `${pointer}/${k}`));
  }
  return [pointer];
}

describe('event catalogue', () => {
  it('given the catalogue, then every definition has a unique CloudEvents type', () => {
    const types = EVENT_CATALOGUE.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
  });

  it('given the catalogue, then every (name, version) pair appears once', () => {
    const pairs = EVENT_CATALOGUE.map((d) => `${d.name}@${d.version}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  describe.each(definitions)('%s', (_type, definition) => {
    it('then its type is aal.<name>.v<version> and passes the envelope pattern', () => {
      expect(definition.type).toBe(`${EVENT_TYPE_PREFIX}${definition.name}.v${definition.version}`);
      expect(validateAgainst(CloudEventAttributes.properties.type, definition.type)).toEqual([]);
    });

    it('then its dataschema names the same event and version', () => {
      expect(definition.dataschema).toBe(`urn:aal:schema:${definition.name}:v${definition.version}`);
      expect(validateAgainst(CloudEventAttributes.properties.dataschema, definition.dataschema)).toEqual([]);
    });

    it('then its schema holds only JSON values, so the published JSON Schema loses nothing', () => {
      expect(nonJsonValues(definition.schema)).toEqual([]);
    });

    it('then its schema, read back from JSON, compiles in a strict validator', () => {
      const published = JSON.parse(JSON.stringify(definition.schema)) as object;
      expect(() => strictAjv().compile(published)).not.toThrow();
    });

    it('then its schema is a closed object, so unknown data properties are refused', () => {
      expect(definition.schema.type).toBe('object');
      expect(definition.schema.additionalProperties).toBe(false);
    });

    it('then every event carries the actor who caused it', () => {
      expect(definition.schema.required).toContain('actor');
    });

    it('then its producer publishes on a topic the ledger reads', () => {
      const topics = topicNames().events as Record<string, string>;
      expect(topics[definition.producer]).toEqual(expect.any(String));
    });

    it('then it is found by its type, and the latest version of its name is it or a later one', () => {
      expect(findEventDefinition(definition.type)).toBe(definition);
      const latest = latestDefinition(definition.name);
      expect(latest === definition || latest.version > definition.version).toBe(true);
    });
  });

  describe('lookups', () => {
    it('given an unknown type, when looked up, then nothing is found', () => {
      expect(findEventDefinition('aal.model.registered.v99')).toBeUndefined();
    });

    it('given an unknown name, when asking for its latest definition, then it throws naming it', () => {
      expect(() => latestDefinition('model.exploded')).toThrow('no event named model.exploded in the catalogue');
    });

    it.each<ProducerName>(['model-registry', 'deployment-approval', 'usage-events'])(
      'given producer %s, when listing its events, then there are some and each belongs to it',
      (producer) => {
        const produced = eventsProducedBy(producer);
        expect(produced.length).toBeGreaterThan(0);
        expect(produced.every((d) => d.producer === producer)).toBe(true);
      },
    );

    it('given every producer, when listing their events, then the lists partition the catalogue', () => {
      const all = SERVICE_NAMES.flatMap((p) => eventsProducedBy(p));
      expect(all).toHaveLength(EVENT_CATALOGUE.length);
      expect(new Set(all)).toEqual(new Set(EVENT_CATALOGUE));
    });

    it('given the ledger, when listing its events, then it emits only its own case, mandate and recommendation events', () => {
      expect(
        eventsProducedBy('ledger')
          .map((d) => d.type)
          .sort(),
      ).toEqual([
        'aal.case.access-granted.v1',
        'aal.case.closed.v1',
        'aal.case.hold-lifted.v1',
        'aal.case.hold-placed.v1',
        'aal.case.opened.v1',
        'aal.case.opened.v2',
        'aal.case.read.v1',
        'aal.mandate.granted.v1',
        'aal.mandate.revoked.v1',
        'aal.recommendation.accepted.v1',
        'aal.recommendation.completed.v1',
        'aal.recommendation.recorded.v1',
        'aal.recommendation.rejected.v1',
      ]);
    });

    it('given a case.opened v1 entry from before mandates (no basis), then it still validates; v2 requires the basis', () => {
      const v1 = {
        caseId: '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab',
        organisationId: 'hsib',
        title: 'x',
        incidentId: '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d',
        openedAgainst: { treeSize: 3, rootHash: 'ab'.repeat(32) },
        actor: { organisationId: 'hsib', personId: 'psn_investigator01', role: 'investigator' },
      };
      expect(validateAgainst(findEventDefinition('aal.case.opened.v1')!.schema, v1)).toEqual([]);
      expect(validateAgainst(latestDefinition('case.opened').schema, v1).length).toBeGreaterThan(0);
      expect(
        validateAgainst(latestDefinition('case.opened').schema, { ...v1, basis: [{ organisationId: 'hsib', by: 'own-organisation' }] }),
      ).toEqual([]);
    });
  });
});
