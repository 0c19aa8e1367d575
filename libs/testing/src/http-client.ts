import type { Caller } from '@aal/http';
import { tokenFor } from './test-identity';

export interface HttpResult<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A tiny JSON client for API tests, speaking as `caller` (a test-identity bearer token) when one is given. */
export function httpClient(baseUrl: string) {
  return async function call<T = any>(
    method: string,
    path: string,
    options: { body?: unknown; caller?: Caller; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined || options.raw !== undefined) headers['content-type'] ??= 'application/json';
    if (options.caller) headers['authorization'] ??= `Bearer ${await tokenFor(options.caller)}`;
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: body as T, headers: res.headers };
  };
}
