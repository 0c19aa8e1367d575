/**
 * The load generator of bench:api-load, run as its own process so that the load does not share the
 * services' event loop: autocannon (a well-kept HTTP load tool, docs/decisions.md) at a fixed
 * overall rate. Reads its plan as JSON on stdin, prints autocannon's summary as one JSON line.
 */
export interface LoadPlan {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly rate: number;
  readonly connections: number;
  readonly seconds: number;
  /** GET these paths in turn, or POST `body` with a new `outputId` each time. */
  readonly get?: readonly string[];
  readonly post?: { readonly path: string; readonly body: Record<string, unknown> };
}

export interface LoadSummary {
  readonly requests: number;
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

/** The parts of autocannon's API used here (it ships no type declarations). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}
interface AutocannonResult {
  readonly requests: { readonly total: number; readonly average: number };
  readonly latency: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly duration: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}
type Autocannon = (options: {
  url: string;
  headers: Record<string, string>;
  connections: number;
  overallRate: number;
  duration: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const plan = JSON.parse(input) as LoadPlan;
  // autocannon is CommonJS without types: its call signature is declared above.
  const autocannon = require('autocannon') as Autocannon;
  let next = 0;
  const runPrefix = Math.floor(Math.random() * 0xffff)
    .toString(16)
    .padStart(4, '0');
  const request: AutocannonRequest = plan.get
    ? { method: 'GET', setupRequest: (req) => ({ ...req, path: plan.get![next++ % plan.get!.length] }) }
    : {
        method: 'POST',
        path: plan.post!.path,
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ ...plan.post!.body, outputId: `out-${runPrefix}${(next++).toString(16).padStart(8, '0')}` }),
        }),
      };
  const result = await autocannon({
    url: plan.url,
    headers: { ...plan.headers, 'content-type': 'application/json' },
    connections: plan.connections,
    overallRate: plan.rate,
    duration: plan.seconds,
    requests: [request],
  });
  const summary: LoadSummary = {
    requests: result.requests.total,
    rate: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`load client failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
