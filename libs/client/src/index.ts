import createClient, { type Client } from 'openapi-fetch';
import type { paths as ConcernsPaths } from './generated/concerns';
import type { paths as DeploymentApprovalPaths } from './generated/deployment-approval';
import type { paths as IncidentsPaths } from './generated/incidents';
import type { paths as LedgerPaths } from './generated/ledger';
import type { paths as ModelRegistryPaths } from './generated/model-registry';
import type { paths as UsageEventsPaths } from './generated/usage-events';

/**
 * Typed clients of the six services, from their OpenAPI documents (types by openapi-typescript in
 * ./generated, requests by openapi-fetch). A clinical system, an employer's tools or an
 * investigator's scripts call `serviceClient('usage-events', url, token).POST('/outputs', { body })`
 * and get the body and answer types the service documents; `answerOf` turns a problem into a thrown
 * `ProblemError`.
 */
export interface ServicePaths {
  'model-registry': ModelRegistryPaths;
  'deployment-approval': DeploymentApprovalPaths;
  'usage-events': UsageEventsPaths;
  concerns: ConcernsPaths;
  incidents: IncidentsPaths;
  ledger: LedgerPaths;
}

export type ServiceName = keyof ServicePaths;
export type ServiceClient<S extends ServiceName> = Client<ServicePaths[S]>;

/** The bearer token to send, fetched for each request (so a refreshed token is picked up). */
export type BearerToken = () => string | Promise<string>;

/** A client of `service` at `baseUrl`; with `token`, every request carries `Authorization: Bearer <token>`. */
export function serviceClient<S extends ServiceName>(service: S, baseUrl: string, token?: BearerToken): ServiceClient<S> {
  const client = createClient<ServicePaths[S]>({ baseUrl, headers: { 'x-client': `aal-client/${service}` } });
  if (token) {
    client.use({
      async onRequest({ request }) {
        request.headers.set('authorization', `Bearer ${await token()}`);
        return request;
      },
    });
  }
  return client;
}

/** An RFC 9457 problem a service answered, as an error; `problem` is the body (`code`, `detail`, `errors[]`, ...). */
export class ProblemError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly problem: { code?: string; detail?: string; [member: string]: unknown } | undefined,
  ) {
    super(`${url} answered ${status}: ${JSON.stringify(problem)}`);
  }
}

/** The answer of a request, or the problem it was refused with thrown as a ProblemError. */
export async function answerOf<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw new ProblemError(response.url, response.status, error as never);
  return data as T;
}
