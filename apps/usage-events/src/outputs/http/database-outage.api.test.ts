import { eventually } from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { runningUsageEvents } from '../../testing/usage-app';
import { at, clinicalSystem, outputBody } from '../../testing/usage.factories';

/**
 * PostgreSQL restarting or out of reach (here: a proxy in front of this test's database drops
 * every connection and refuses new ones) is a reason to retry, not an internal error.
 */
describe('usage-events while its database is away', () => {
  const usage = runningUsageEvents({ databaseProxy: true });

  it('answers 503 with Retry-After while PostgreSQL is unreachable, and a retry with the same Idempotency-Key records the output once', async () => {
    const proxy = usage.app.databaseProxy!;
    // The pool holds open connections, so the cut both terminates connections and refuses new ones.
    expect((await usage.call('POST', '/outputs', { body: outputBody(at(Date.now(), -6)), caller: clinicalSystem })).status).toBe(201);
    const body = outputBody(at(Date.now(), -5));
    const key = `outage-${randomUUID()}`;
    const post = () => usage.call('POST', '/outputs', { body, caller: clinicalSystem, headers: { 'Idempotency-Key': key } });

    await proxy.cut();
    try {
      for (const res of [await post(), await post(), await usage.call('GET', `/outputs/${body.outputId}`, { caller: clinicalSystem })]) {
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('2');
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body).toMatchObject({ status: 503, code: 'SERVICE.DATABASE_UNAVAILABLE', retryAfter: 2 });
        expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|terminated|stack/i);
      }
      expect((await usage.call('GET', '/health/ready')).status).toBe(503);
    } finally {
      await proxy.restore();
    }

    const recorded = await eventually(post, (res) => res.status !== 503, 30000, 'the database back');
    expect(recorded.status).toBe(201);
    const replayed = await post();
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    const view = await usage.call('GET', `/outputs/${body.outputId}`, { caller: clinicalSystem });
    expect(view.body).toMatchObject({ outputId: body.outputId, revision: 1 });
    expect(view.body.history).toHaveLength(1);
  });
});
