import type { Caller } from '@aal/http';
import { contractViolation, type OpenApiDocument } from './contract-check';
import { tokenFor } from './test-identity';

export interface HttpResult<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/**
 * A tiny JSON client for API tests, speaking as `caller` (a test-identity bearer token) when one is
 * given. Every answer is checked against the service's own OpenAPI document (/docs/openapi.json):
 * an undocumented status or a body its documented schema refuses throws, so every API test is a
 * contract test too (contract-check.ts).
 */
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
    const answer = { method, path, status: res.status, contentType: res.headers.get('content-type'), body };
    // A violation is confirmed against a fresh document: another service may since listen on this port.
    if (contractViolation(await documentOf(baseUrl), answer)) {
      documents.delete(baseUrl);
      const violation = contractViolation(await documentOf(baseUrl), answer);
      if (violation) throw new ContractError(violation);
    }
    return { status: res.status, body: body as T, headers: res.headers };
  };
}

/** An answer that breaks the service's OpenAPI document. */
export class ContractError extends Error {}

const documents = new Map<string, Promise<OpenApiDocument>>();

/** The service's document, read once per base URL (a service restarted on the same URL serves the same one). */
function documentOf(baseUrl: string): Promise<OpenApiDocument> {
  let document = documents.get(baseUrl);
  if (!document) {
    document = fetch(`${baseUrl}/docs/openapi.json`).then(async (res) => {
      if (!res.ok) throw new Error(`${baseUrl}/docs/openapi.json answered ${res.status}: the contract check needs the service's document`);
      return (await res.json()) as OpenApiDocument;
    });
    documents.set(baseUrl, document);
    document.catch(() => documents.delete(baseUrl));
  }
  return document;
}
