import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { outputChainEvents } from '@aal/testing';
import { EVENT_CATALOGUE, findEventDefinition } from './catalogue';
import { validateAgainst as ajvValidate } from './validation';
import { formatIssues, validateAgainst as browserValidate } from './validation.browser';

// The browser bundle checks events with TypeBox's interpreter instead of Ajv (the page's CSP
// forbids Ajv's generated code). Both MUST give the same verdict on the same schemas.
const agree = (schema: (typeof EVENT_CATALOGUE)[number]['schema'], value: unknown) => {
  const ajv = ajvValidate(schema, value);
  const browser = browserValidate(schema, value);
  expect({ value, valid: browser.length === 0 }).toEqual({ value, valid: ajv.length === 0 });
  return browser;
};

const valid = outputChainEvents({
  modelId: randomUUID(),
  versionId: randomUUID(),
  deploymentId: randomUUID(),
  outputId: randomUUID(),
  policyId: randomUUID(),
  trainingId: randomUUID(),
});

describe('validation.browser (TypeBox Value, no eval)', () => {
  it('given the valid events of an output chain, when validated, then neither validator finds an issue', () => {
    expect(valid.length).toBeGreaterThan(5);
    for (const event of valid) {
      const definition = findEventDefinition(event.type)!;
      expect(agree(definition.schema, event.data)).toEqual([]);
    }
  });

  it('given each valid event with one property removed, added or retyped, when validated, then both find issues and the browser names a pointer', () => {
    for (const event of valid) {
      const definition = findEventDefinition(event.type)!;
      const data = event.data as Record<string, unknown>;
      for (const key of Object.keys(data)) {
        const { [key]: _removed, ...without } = data;
        if ((definition.schema.required ?? []).includes(key)) {
          const issues = agree(definition.schema, without);
          expect(issues.map((i) => i.pointer)).toContain(`/${key}`);
        }
        expect(agree(definition.schema, { ...data, [key]: { not: 'this' } }).length).toBeGreaterThan(0);
      }
      const issues = agree(definition.schema, { ...data, nhsNumber: '9434765919' });
      expect(issues).toContainEqual({ pointer: '/nhsNumber', rule: 'additionalProperties', message: 'is not an allowed property' });
      expect(formatIssues(issues)).toContain('/nhsNumber is not an allowed property (additionalProperties)');
    }
  });

  it('given any value for any event of the catalogue, when validated, then both validators give the same verdict', () => {
    expect(EVENT_CATALOGUE.length).toBeGreaterThan(20);
    const samples = valid.map((e) => e.data as Record<string, unknown>);
    const value = fc.oneof(
      fc.anything(),
      // Valid events with one member replaced by anything: near misses, for the formats and patterns too.
      fc
        .tuple(
          fc.constantFrom(...samples),
          fc.nat(),
          fc.oneof(
            fc.anything(),
            fc.string(),
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            fc.uuid(),
            fc.webUrl(),
          ),
        )
        .map(([sample, at, replacement]) => {
          const keys = Object.keys(sample);
          return { ...sample, [keys[at % keys.length]!]: replacement };
        }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...EVENT_CATALOGUE), value, (definition, v) => {
        agree(definition.schema, v);
      }),
      { numRuns: 2000 },
    );
  });
});
