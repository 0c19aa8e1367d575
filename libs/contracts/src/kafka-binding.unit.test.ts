import { outputChainEvents } from '@aal/testing';
import { modelRegisteredData } from '@aal/testing/unit';
import fc from 'fast-check';
import { buildEvent, validateEvent, type CloudEvent } from './cloud-event';
import { ModelRegisteredV1 } from './events/model-registered.v1';
import { fromBinaryMessage, toBinaryMessage, type DecodeResult } from './kafka-binding';

// ---- test data -------------------------------------------------------------------------------

const modelId = '0f5d2d51-2c43-4a8e-bb2f-6b1e9e7c3d20';
const event = buildEvent(ModelRegisteredV1, modelRegisteredData(modelId), {
  id: 'evt-0001',
  source: '/aal/model-registry/test',
  time: '2026-11-02T09:00:00.000Z',
});

const expectedHeaders = {
  'content-type': 'application/json',
  ce_specversion: '1.0',
  ce_id: 'evt-0001',
  ce_source: '/aal/model-registry/test',
  ce_type: 'aal.model.registered.v1',
  ce_subject: `model/${modelId}`,
  ce_time: '2026-11-02T09:00:00.000Z',
  ce_dataschema: 'urn:aal:schema:model.registered:v1',
};

function refused(result: DecodeResult) {
  if (result.ok) throw new Error(`expected the message to be refused, but it decoded ${result.event.type}`);
  return result.issues;
}

function decoded(result: DecodeResult): CloudEvent<unknown> {
  if (!result.ok) throw new Error(`expected the message to decode, but: ${JSON.stringify(result.issues)}`);
  return result.event;
}

// ---- binary content mode -----------------------------------------------------------------------

describe('CloudEvents Kafka binding, binary mode', () => {
  describe('toBinaryMessage', () => {
    it('given an event, when encoded, then attributes travel as ce_ headers, the content type as content-type, and the value is the data alone', () => {
      const message = toBinaryMessage(event);
      expect(message.headers).toEqual(expectedHeaders);
      expect(JSON.parse(message.value)).toEqual(event.data);
    });

    it('given an event, when encoded, then the key is its subject, so one aggregate stays on one partition', () => {
      expect(toBinaryMessage(event).key).toBe(`model/${modelId}`);
    });
  });

  describe('fromBinaryMessage', () => {
    it('given an encoded event, when decoded from a string value, then the same event comes back', () => {
      const message = toBinaryMessage(event);
      expect(decoded(fromBinaryMessage(message.headers, message.value))).toEqual(event);
    });

    it('given an encoded event, when decoded from a Buffer value, then the same event comes back', () => {
      const message = toBinaryMessage(event);
      expect(decoded(fromBinaryMessage(message.headers, Buffer.from(message.value, 'utf8')))).toEqual(event);
    });

    it('given a content type with parameters, when decoded, then it is still JSON', () => {
      const message = toBinaryMessage(event);
      const headers = { ...message.headers, 'content-type': 'application/json; charset=utf-8' };
      expect(decoded(fromBinaryMessage(headers, message.value))).toEqual(event);
    });

    it.each(['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_subject', 'ce_time', 'ce_dataschema'])(
      'given no %s header, when decoded, then it is refused as required at that header',
      (header) => {
        const { [header]: _dropped, ...headers } = expectedHeaders as Record<string, string>;
        expect(refused(fromBinaryMessage(headers, toBinaryMessage(event).value))).toEqual([
          { pointer: `/headers/${header}`, rule: 'required', message: 'is required' },
        ]);
      },
    );

    it('given no headers at all, when decoded, then every missing header is listed, not just the first', () => {
      const issues = refused(fromBinaryMessage({}, '{}'));
      expect(issues.map((i) => i.pointer)).toEqual([
        '/headers/ce_specversion',
        '/headers/ce_id',
        '/headers/ce_source',
        '/headers/ce_type',
        '/headers/ce_subject',
        '/headers/ce_time',
        '/headers/ce_dataschema',
        '/headers/content-type',
      ]);
    });

    it.each([undefined, 'text/plain', 'application/cloudevents+json'])(
      'given content-type %s, when decoded, then it is refused',
      (contentType) => {
        const headers: Record<string, string | undefined> = { ...expectedHeaders, 'content-type': contentType };
        expect(refused(fromBinaryMessage(headers, toBinaryMessage(event).value))).toEqual([
          { pointer: '/headers/content-type', rule: 'const', message: 'must be application/json' },
        ]);
      },
    );

    it('given a value that is not JSON, when decoded, then /value is refused with the parser message', () => {
      const issues = refused(fromBinaryMessage(expectedHeaders, '{not json'));
      expect(issues).toEqual([{ pointer: '/value', rule: 'json', message: expect.stringMatching(/^is not JSON: /) }]);
    });

    it('given an empty value, when decoded, then it is not JSON', () => {
      expect(refused(fromBinaryMessage(expectedHeaders, Buffer.alloc(0)))).toEqual([
        expect.objectContaining({ pointer: '/value', rule: 'json' }),
      ]);
    });

    it('given a null value (a tombstone), when decoded, then it is refused as empty', () => {
      expect(refused(fromBinaryMessage(expectedHeaders, null))).toEqual([
        { pointer: '/value', rule: 'required', message: 'is empty (tombstones are not events)' },
      ]);
    });

    it('given another CloudEvents spec version, when decoded, then it is refused', () => {
      expect(refused(fromBinaryMessage({ ...expectedHeaders, ce_specversion: '0.3' }, toBinaryMessage(event).value))).toEqual([
        { pointer: '/headers/ce_specversion', rule: 'const', message: 'must be 1.0' },
      ]);
    });

    it('given several problems at once, when decoded, then all are reported together', () => {
      const { ce_id: _id, ...headers } = { ...expectedHeaders, ce_specversion: '2.0' };
      expect(refused(fromBinaryMessage(headers, null)).map((i) => i.pointer)).toEqual([
        '/headers/ce_id',
        '/headers/ce_specversion',
        '/value',
      ]);
    });
  });

  describe('round trip property', () => {
    const chainIds = fc.record({
      modelId: fc.uuid(),
      versionId: fc.uuid(),
      deploymentId: fc.uuid(),
      outputId: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{2,127}$/),
      policyId: fc.uuid(),
      trainingId: fc.uuid(),
    });
    const base = fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.getTime());

    it('given any valid event from the output-chain factory, when sent in binary mode and read back, then the same valid event returns', () => {
      fc.assert(
        fc.property(chainIds, base, fc.nat({ max: 9 }), fc.boolean(), (ids, baseTime, index, asBuffer) => {
          const original = outputChainEvents(ids, baseTime)[index]!;
          const message = toBinaryMessage(original);
          expect(message.key).toBe(original.subject);
          expect(message.headers['ce_type']).toBe(original.type);
          const back = decoded(fromBinaryMessage(message.headers, asBuffer ? Buffer.from(message.value, 'utf8') : message.value));
          expect(back).toEqual(original);
          expect(validateEvent(back)).toEqual([]);
        }),
      );
    });
  });
});
