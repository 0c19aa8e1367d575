import { modelRegisteredData, thrownBy, vendorAdmin } from '@aal/testing/unit';
import { buildEvent, ContractViolation, validateEvent, type CloudEvent } from './cloud-event';
import type { EventData } from './event-definition';
import { InstructionGivenV1 } from './events/instruction-given.v1';
import { ModelRegisteredV1 } from './events/model-registered.v1';
import { OutputGeneratedV1 } from './events/output-generated.v1';
import type { ValidationIssue } from './validation';

// ---- test data -------------------------------------------------------------------------------

const modelId = '0f5d2d51-2c43-4a8e-bb2f-6b1e9e7c3d20';
const meta = { id: 'evt-0001', source: '/aal/model-registry/test', time: '2026-11-02T09:00:00.000Z' };

const registeredData = () => modelRegisteredData(modelId);

/** A valid event as a producer would build it; tests then break one thing at a time. */
const validEvent = (): CloudEvent<Record<string, unknown>> => ({
  specversion: '1.0',
  id: meta.id,
  source: meta.source,
  type: ModelRegisteredV1.type,
  subject: `model/${modelId}`,
  time: meta.time,
  datacontenttype: 'application/json',
  dataschema: ModelRegisteredV1.dataschema,
  data: registeredData(),
});

const pointers = (issues: readonly ValidationIssue[]) => issues.map((i) => i.pointer);

// ---- buildEvent --------------------------------------------------------------------------------

describe('buildEvent', () => {
  it('given valid data, when building, then it sets every CloudEvents attribute from the definition and the caller', () => {
    const event = buildEvent(ModelRegisteredV1, registeredData(), meta);
    expect(event).toEqual(validEvent());
    expect(validateEvent(event)).toEqual([]);
  });

  it('given data naming an output, when building an instruction, then the subject is that output', () => {
    const data: EventData<typeof InstructionGivenV1> = {
      instructionId: '9a1c2e37-7d4b-4f1a-8c55-0e2b3f4a5b61',
      organisationId: 'st-swithins',
      instructor: { personId: 'psn_wardsister01', role: 'ward-sister' },
      professionalId: 'psn_nurse0000001',
      kind: 'follow-ai',
      outputId: 'out-42',
      actor: { organisationId: 'st-swithins', personId: 'psn_eprsystem001', role: 'clinical-system' },
    };
    expect(buildEvent(InstructionGivenV1, data, meta).subject).toBe('output/out-42');
    const { outputId: _outputId, ...aboutACase } = data;
    expect(buildEvent(InstructionGivenV1, aboutACase, meta).subject).toBe(`instruction/${data.instructionId}`);
  });

  it('given data missing a field and carrying an unknown one, when building, then it throws ContractViolation listing both pointers', () => {
    const { name: _name, ...withoutName } = registeredData();
    const error = thrownBy(ContractViolation, () => buildEvent(ModelRegisteredV1, { ...withoutName, colour: 'blue' } as never, meta));
    expect(error.code).toBe('CONTRACT.VIOLATION');
    expect(error.eventType).toBe('aal.model.registered.v1');
    expect(pointers(error.issues)).toEqual(expect.arrayContaining(['/data/name', '/data/colour']));
    expect(error.issues.find((i) => i.pointer === '/data/name')).toMatchObject({ rule: 'required', message: 'is required' });
    expect(error.issues.find((i) => i.pointer === '/data/colour')).toMatchObject({
      rule: 'additionalProperties',
      message: 'is not an allowed property',
    });
    expect(error.message).toContain('/data/name is required');
    expect(error.message).toContain('/data/colour is not an allowed property');
  });

  it('given a nested field in a bad format, when building, then the pointer reaches into the nested object', () => {
    const error = thrownBy(ContractViolation, () =>
      buildEvent(ModelRegisteredV1, { ...registeredData(), actor: { ...vendorAdmin, personId: 'Jane Smith' } }, meta),
    );
    expect(error.issues).toEqual([expect.objectContaining({ pointer: '/data/actor/personId', rule: 'pattern' })]);
  });

  it('given a bad time from the caller, when building, then the envelope attribute is named', () => {
    const error = thrownBy(ContractViolation, () => buildEvent(ModelRegisteredV1, registeredData(), { ...meta, time: 'yesterday' }));
    expect(error.issues).toEqual([expect.objectContaining({ pointer: '/time', rule: 'format' })]);
  });
});

// ---- validateEvent -----------------------------------------------------------------------------

describe('validateEvent', () => {
  it('given a valid event, when validating, then there are no issues', () => {
    expect(validateEvent(validEvent())).toEqual([]);
  });

  it('given a type the catalogue does not know, when validating, then /type is named and the data is not judged', () => {
    const issues = validateEvent({ ...validEvent(), type: 'aal.model.exploded.v1', data: { anything: true } });
    expect(issues).toEqual([{ pointer: '/type', rule: 'catalogue', message: 'unknown event type "aal.model.exploded.v1"' }]);
  });

  it('given a known name at an unknown version, when validating, then it is an unknown type', () => {
    expect(pointers(validateEvent({ ...validEvent(), type: 'aal.model.registered.v2' }))).toEqual(['/type']);
  });

  it('given a type outside the aal namespace, when validating, then both the pattern and the catalogue refuse it', () => {
    const issues = validateEvent({ ...validEvent(), type: 'com.example.thing' });
    expect(issues).toEqual([
      expect.objectContaining({ pointer: '/type', rule: 'pattern' }),
      expect.objectContaining({ pointer: '/type', rule: 'catalogue' }),
    ]);
  });

  it('given the dataschema of another event, when validating, then /dataschema names the expected one', () => {
    const issues = validateEvent({ ...validEvent(), dataschema: OutputGeneratedV1.dataschema });
    expect(issues).toEqual([
      { pointer: '/dataschema', rule: 'catalogue', message: 'must be "urn:aal:schema:model.registered:v1" for aal.model.registered.v1' },
    ]);
  });

  it('given a subject that is not the aggregate named by the data, when validating, then /subject names the expected one', () => {
    const issues = validateEvent({ ...validEvent(), subject: 'model/11111111-2222-4333-8444-555555555555' });
    expect(issues).toEqual([
      { pointer: '/subject', rule: 'catalogue', message: `must be "model/${modelId}", the aggregate named by the data` },
    ]);
  });

  it('given invalid data, when validating, then the subject is not second-guessed (the data issue stands alone)', () => {
    const issues = validateEvent({ ...validEvent(), subject: 'model/other', data: { ...registeredData(), modelId: 'not-a-uuid' } });
    expect(issues).toEqual([expect.objectContaining({ pointer: '/data/modelId', rule: 'format' })]);
  });

  it('given an unknown data property, when validating, then it is named under /data', () => {
    const issues = validateEvent({ ...validEvent(), data: { ...registeredData(), patientName: 'Jane Smith' } });
    expect(issues).toEqual([{ pointer: '/data/patientName', rule: 'additionalProperties', message: 'is not an allowed property' }]);
  });

  it('given an unknown envelope attribute, when validating, then it is refused at its own pointer', () => {
    const issues = validateEvent({ ...validEvent(), partitionkey: 'ward-7' } as CloudEvent<unknown>);
    expect(issues).toEqual([expect.objectContaining({ pointer: '/partitionkey', rule: 'additionalProperties' })]);
  });

  it('given a missing envelope attribute, when validating, then it is named as required', () => {
    const { source: _source, ...withoutSource } = validEvent();
    expect(validateEvent(withoutSource as CloudEvent<unknown>)).toEqual([{ pointer: '/source', rule: 'required', message: 'is required' }]);
  });

  it.each([
    ['/time', { time: '2026-11-02 09:00' }, 'format'],
    ['/time', { time: '2026-11-02T09:00:00' }, 'format'],
    ['/dataschema', { dataschema: 'not a uri' }, 'format'],
    ['/specversion', { specversion: '0.3' }, 'const'],
    ['/datacontenttype', { datacontenttype: 'text/plain' }, 'const'],
    ['/id', { id: '' }, 'minLength'],
  ] as const)('given a bad envelope attribute (%s %j), when validating, then it is named with rule %s', (pointer, change, rule) => {
    const issues = validateEvent({ ...validEvent(), ...change } as CloudEvent<unknown>);
    expect(issues).toContainEqual(expect.objectContaining({ pointer, rule }));
  });

  it.each([
    ['/data/modelId', { modelId: 'model-1' }, 'format'],
    ['/data/vendorId', { vendorId: 'Acme AI' }, 'pattern'],
    ['/data/riskClass', { riskClass: 'class-x' }, 'anyOf'],
    ['/data/manufacturerSafetyOfficer', { manufacturerSafetyOfficer: '9434765919' }, 'pattern'],
    ['/data/name', { name: '' }, 'minLength'],
  ] as const)('given bad data (%s %j), when validating, then it is named with rule %s', (pointer, change, rule) => {
    const issues = validateEvent({ ...validEvent(), data: { ...registeredData(), ...change } });
    expect(issues).toEqual([expect.objectContaining({ pointer, rule })]);
  });
});
