import { modelRegisteredData } from '@aal/testing/unit';
import { buildEvent, validateEvent } from './cloud-event';
import { ModelRegisteredV1 } from './events/model-registered.v1';
import { fromBinaryMessage, toBinaryMessage } from './kafka-binding';
import { traceContextOf, withTraceContext } from './trace-context';

const event = buildEvent(ModelRegisteredV1, modelRegisteredData('0f5d2d51-2c43-4a8e-bb2f-6b1e9e7c3d20'), {
  id: 'evt-0001',
  source: '/aal/model-registry/test',
  time: '2026-11-02T09:00:00.000Z',
});
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const tracestate = 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7';

describe('the CloudEvents distributed-tracing extension', () => {
  it('given no trace context, when stamping an event, then it carries no tracing attribute or header', () => {
    const stamped = withTraceContext(event, undefined);
    expect(stamped).toBe(event);
    expect(Object.keys(toBinaryMessage(stamped).headers).filter((h) => h.includes('trace'))).toEqual([]);
    expect(traceContextOf(stamped)).toBeUndefined();
  });

  it('given a trace context, when stamping, encoding and decoding, then both attributes travel as ce_ headers and come back', () => {
    const stamped = withTraceContext(event, { traceparent, tracestate });
    expect(validateEvent(stamped)).toEqual([]);
    const message = toBinaryMessage(stamped);
    expect(message.headers).toMatchObject({ ce_traceparent: traceparent, ce_tracestate: tracestate });
    const decoded = fromBinaryMessage(message.headers, message.value);
    expect(decoded.ok && traceContextOf(decoded.event)).toEqual({ traceparent, tracestate });
  });

  it('given a traceparent alone, when stamping, then no tracestate is invented', () => {
    const stamped = withTraceContext(event, { traceparent });
    expect(Object.keys(toBinaryMessage(stamped).headers).filter((h) => h.includes('trace'))).toEqual(['ce_traceparent']);
    expect(validateEvent(stamped)).toEqual([]);
  });

  it.each([
    ['an unknown version', '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['an all-zero parent id', `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`],
    ['uppercase hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'],
    ['a short trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
  ])('given a traceparent with %s, when validating, then /traceparent is refused', (_why, bad) => {
    expect(validateEvent({ ...event, traceparent: bad }).map((i) => i.pointer)).toEqual(['/traceparent']);
  });

  it.each([
    ['a member without =', 'congo'],
    ['a comma inside a value', 'congo=a,,b'],
    ['an uppercase key', 'Congo=t61'],
    ['more than 512 characters', Array.from({ length: 30 }, (_, i) => `k${i}=${'v'.repeat(16)}`).join(',')],
  ])('given a tracestate with %s, when validating, then /tracestate is refused', (_why, bad) => {
    expect(validateEvent({ ...event, traceparent, tracestate: bad }).map((i) => i.pointer)).toEqual(['/tracestate']);
  });

  it('given a tracestate without a traceparent, when validating, then it is refused as dangling', () => {
    expect(validateEvent({ ...event, tracestate })).toEqual([
      { pointer: '/tracestate', rule: 'dependencies', message: 'is set without traceparent' },
    ]);
  });
});
