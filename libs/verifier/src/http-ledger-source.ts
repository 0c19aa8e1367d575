import type { LedgerSource } from './ledger-source';
import { VerifierSetupError } from './verifier-setup.error';

export interface HttpLedgerSourceOptions {
  /** Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Entries and checkpoints per request; the ledger allows at most 1000. */
  readonly pageSize?: number;
  /** Retries after the first attempt, for network errors, timeouts, 429 and 5xx. */
  readonly retries?: number;
  /** First retry delay; doubles each time, and a `Retry-After` up to 30 s is honoured. */
  readonly retryDelayMs?: number;
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Bearer token sent with every request: reading raw entries needs an auditor with the all-organisations grant. */
  readonly token?: string;
}

const MAX_RETRY_AFTER_MS = 30_000;

/**
 * Reads a log from the ledger's HTTP API (`/log/public-key`, `/checkpoints`, `/entries`,
 * `/proofs/consistency`). Pages through entries with one request in flight ahead of the consumer.
 * Transient failures (network, timeout, 429, 5xx) are retried a bounded number of times with
 * exponential backoff; anything else, or running out of retries, throws `VerifierSetupError`
 * naming the URL, the status and the server's problem detail.
 */
export class HttpLedgerSource implements LedgerSource {
  readonly description: string;
  private readonly base: URL;
  private readonly fetch: typeof fetch;
  private readonly pageSize: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly headers: Record<string, string>;

  constructor(url: string, options: HttpLedgerSourceOptions = {}) {
    let base: URL;
    try {
      base = new URL(url);
    } catch {
      throw new VerifierSetupError('SETUP.BAD_OPTION', `--url ${JSON.stringify(url)} is not a URL`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new VerifierSetupError('SETUP.BAD_OPTION', `--url ${url} is not an http(s) URL`);
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.search = '';
    base.hash = '';
    this.base = base;
    this.description = base.toString();
    this.fetch = options.fetch ?? globalThis.fetch;
    this.pageSize = options.pageSize ?? 1000;
    this.retries = options.retries ?? 4;
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.headers = { accept: 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) };
  }

  async announced(): Promise<{ origin: string; verifierKey: string }> {
    const url = this.url('log/public-key');
    const body = await this.getJson(url);
    const origin = field(body, 'origin');
    const verifierKey = field(body, 'verifierKey');
    if (typeof origin !== 'string' || typeof verifierKey !== 'string') throw badResponse(url, 'expected { origin, verifierKey } strings');
    return { origin, verifierKey };
  }

  async checkpoints(afterId?: number): Promise<unknown[]> {
    const all: unknown[] = [];
    let after: number | null = afterId ?? null;
    for (;;) {
      const url = this.url('checkpoints', { ...(after === null ? {} : { after }), limit: this.pageSize });
      const body = await this.getJson(url);
      const page = field(body, 'checkpoints');
      const next = field(body, 'next');
      if (!Array.isArray(page) || !isNextCursor(next)) throw badResponse(url, 'expected { checkpoints: [...], next: number | null }');
      all.push(...page);
      if (next === null) return all;
      if (after !== null && next <= after) throw badResponse(url, `the next page cursor ${next} does not move past ${after}`);
      after = next;
    }
  }

  async *entries(start = 0): AsyncGenerator<unknown[]> {
    let from = start;
    let request = this.entryPage(from);
    for (;;) {
      const { entries, next } = await request;
      if (next !== null) {
        if (next <= from) throw badResponse(this.url('entries', { from }), `the next page cursor ${next} does not move past ${from}`);
        from = next;
        request = this.entryPage(from);
        // Read ahead; if the consumer stops early, a failure of this request must not go unhandled.
        request.catch(() => undefined);
      }
      yield entries;
      if (next === null) return;
    }
  }

  async witnessedCheckpoint(): Promise<string | null> {
    try {
      return (await this.get(this.url('checkpoint/witnessed'), 'text')) as string;
    } catch (err) {
      // 404: no checkpoint is cosigned yet (CHECKPOINT.NOT_FOUND), which is an answer, not a failure.
      if (err instanceof VerifierSetupError && err.context['status'] === 404) return null;
      throw err;
    }
  }

  async consistencyProof(from: number, to: number): Promise<unknown> {
    const url = this.url('proofs/consistency', { from, to });
    const body = await this.getJson(url);
    if (field(body, 'from') !== from || field(body, 'to') !== to) throw badResponse(url, `expected a proof from ${from} to ${to}`);
    return field(body, 'proof');
  }

  private async entryPage(from: number): Promise<{ entries: unknown[]; next: number | null }> {
    const url = this.url('entries', { from, limit: this.pageSize });
    const body = await this.getJson(url);
    const entries = field(body, 'entries');
    const next = field(body, 'next');
    if (!Array.isArray(entries) || !isNextCursor(next)) throw badResponse(url, 'expected { entries: [...], next: number | null }');
    return { entries, next };
  }

  private url(path: string, query: Record<string, number> = {}): URL {
    const url = new URL(path, this.base);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
    return url;
  }

  private getJson(url: URL): Promise<unknown> {
    return this.get(url, 'json');
  }

  private async get(url: URL, as: 'json' | 'text'): Promise<unknown> {
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.attempt(url, as);
      if (outcome.ok) return outcome.body;
      if (!outcome.transient || attempt >= this.retries) {
        const tries = attempt + 1;
        throw new VerifierSetupError(outcome.code, `GET ${url} failed${tries > 1 ? ` after ${tries} attempts` : ''}: ${outcome.reason}`, {
          url: url.toString(),
          ...(outcome.status === undefined ? {} : { status: outcome.status }),
        });
      }
      const backoff = this.retryDelayMs * 2 ** attempt;
      await this.sleep(Math.min(MAX_RETRY_AFTER_MS, Math.max(backoff, outcome.retryAfterMs ?? 0)));
    }
  }

  private async attempt(
    url: URL,
    as: 'json' | 'text',
  ): Promise<
    | { ok: true; body: unknown }
    | {
        ok: false;
        transient: boolean;
        code: 'SOURCE.HTTP_STATUS' | 'SOURCE.NETWORK' | 'SOURCE.BAD_RESPONSE';
        reason: string;
        status?: number;
        retryAfterMs?: number;
      }
  > {
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(url, { headers: this.headers, signal: AbortSignal.timeout(this.timeoutMs) });
      text = await response.text();
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : networkReason(err);
      return { ok: false, transient: true, code: 'SOURCE.NETWORK', reason };
    }
    if (!response.ok) {
      const transient = response.status === 429 || response.status >= 500;
      const retryAfter = Number(response.headers.get('retry-after'));
      return {
        ok: false,
        transient,
        code: 'SOURCE.HTTP_STATUS',
        status: response.status,
        reason: `HTTP ${response.status} ${response.statusText}${problemSummary(text)}`,
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      };
    }
    if (as === 'text') return { ok: true, body: text };
    try {
      return { ok: true, body: JSON.parse(text) };
    } catch {
      return {
        ok: false,
        transient: false,
        code: 'SOURCE.BAD_RESPONSE',
        status: response.status,
        reason: `the response is not JSON: ${JSON.stringify(text.slice(0, 120))}`,
      };
    }
  }
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

function isNextCursor(next: unknown): next is number | null {
  return next === null || (Number.isSafeInteger(next) && (next as number) >= 0);
}

function badResponse(url: URL, reason: string): VerifierSetupError {
  return new VerifierSetupError('SOURCE.BAD_RESPONSE', `GET ${url} returned an unexpected response: ${reason}`, { url: url.toString() });
}

/** " — CODE: detail" from an RFC 9457 problem body, or "" when the body is not one. */
function problemSummary(text: string): string {
  try {
    const problem = JSON.parse(text) as Record<string, unknown>;
    const detail =
      typeof problem['detail'] === 'string' ? problem['detail'] : typeof problem['title'] === 'string' ? problem['title'] : undefined;
    if (detail === undefined) return '';
    return typeof problem['code'] === 'string' ? ` — ${problem['code']}: ${detail}` : ` — ${detail}`;
  } catch {
    return '';
  }
}

function networkReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? `${err.message} (${code})` : err.message;
}
