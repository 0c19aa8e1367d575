import { HealthController, type ReadinessCheck } from './readiness';

/** The JSON and status HealthController.ready sends, captured from a minimal response object. */
async function ready(checks: ReadinessCheck[]): Promise<{ status: number; body: { status: string; checks: unknown[] } }> {
  let captured: { status: number; body: { status: string; checks: unknown[] } } | undefined;
  const res = { status: (status: number) => ({ json: (body: { status: string; checks: unknown[] }) => (captured = { status, body }) }) };
  await new HealthController(checks).ready(res as never);
  return captured!;
}
const passing = (name: string, advisory?: boolean): ReadinessCheck => ({
  name,
  ...(advisory ? { advisory } : {}),
  check: async () => undefined,
});
const failing = (name: string, advisory?: boolean): ReadinessCheck => ({
  name,
  ...(advisory ? { advisory } : {}),
  check: async () => Promise.reject(new Error(`${name} is down`)),
});

describe('readiness', () => {
  it('given every check passing, when probed, then 200 ready', async () => {
    expect(await ready([passing('postgres'), passing('witnesses', true)])).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('given only an advisory check failing, when probed, then 200 degraded, naming it and why', async () => {
    const answer = await ready([passing('postgres'), failing('witnesses', true)]);
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('degraded');
    expect(answer.body.checks).toContainEqual({ name: 'witnesses', ok: false, detail: 'witnesses is down', advisory: true });
  });

  it('given a required check failing, when probed, then 503 not-ready whatever the advisory ones say', async () => {
    expect(await ready([failing('postgres'), passing('witnesses', true)])).toMatchObject({ status: 503, body: { status: 'not-ready' } });
    expect(await ready([failing('postgres'), failing('witnesses', true)])).toMatchObject({ status: 503, body: { status: 'not-ready' } });
  });
});
