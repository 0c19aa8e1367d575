import { DomainError, PushBackError } from '@aal/domain';
import { Logger, type ArgumentsHost } from '@nestjs/common';
import type { Request, Response } from 'express';
import { HttpProblem } from './http-problem';
import { ProblemDetailsFilter } from './problem-details.filter';

/** What the filter wrote: status, headers and the parsed body. */
function render(error: unknown): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  const headers: Record<string, string> = { 'x-correlation-id': 'corr-1' };
  const sent = { status: 0, body: '' };
  const res = {
    headersSent: false,
    getHeader: (name: string) => headers[name.toLowerCase()],
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(type: string) {
      headers['content-type'] = type;
      return this;
    },
    send(body: string) {
      sent.body = body;
      return this;
    },
  };
  const req = { originalUrl: '/things/1?x=2', method: 'GET', path: '/things/1', header: () => undefined };
  const host = {
    switchToHttp: () => ({ getRequest: () => req as unknown as Request, getResponse: () => res as unknown as Response }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(error, host);
  return { status: sent.status, headers, body: JSON.parse(sent.body) };
}

describe('ProblemDetailsFilter', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('answers a push back with 503, Retry-After and its evidence', () => {
    const { status, headers, body } = render(new PushBackError('PROJECTION.BEHIND', 'not yet', 3, { waitFor: 9, position: 4 }));
    expect(status).toBe(503);
    expect(headers['retry-after']).toBe('3');
    expect(headers['content-type']).toBe('application/problem+json');
    expect(body).toEqual({
      type: 'urn:aal:problem:projection.behind',
      title: 'Service Unavailable',
      status: 503,
      detail: 'not yet',
      instance: '/things/1?x=2',
      code: 'PROJECTION.BEHIND',
      correlationId: 'corr-1',
      waitFor: 9,
      position: 4,
      retryAfter: 3,
    });
  });

  it('answers an HTTP problem with its own status, the title of that status and its extensions', () => {
    const { status, headers, body } = render(new HttpProblem(413, 'BATCH.TOO_LARGE', 'split it', { maxItems: 5000 }));
    expect(status).toBe(413);
    expect(headers['retry-after']).toBeUndefined();
    expect(body).toEqual({
      type: 'urn:aal:problem:batch.too_large',
      title: 'Content Too Large',
      status: 413,
      detail: 'split it',
      instance: '/things/1?x=2',
      code: 'BATCH.TOO_LARGE',
      correlationId: 'corr-1',
      maxItems: 5000,
    });
  });

  it("never lets a context or extension overwrite the problem's own members", () => {
    expect(render(new PushBackError('X.BEHIND', 'd', 1, { status: 200, code: 'OTHER' })).body).toMatchObject({
      status: 503,
      code: 'X.BEHIND',
    });
    expect(render(new HttpProblem(422, 'X.Y', 'd', { status: 200, title: 'OK' })).body).toMatchObject({
      status: 422,
      title: 'Unprocessable Content',
    });
    expect(render(new DomainError('X.Z', 'conflict', 'd', { status: 200 })).body).toMatchObject({ status: 409, title: 'Conflict' });
  });

  it('answers an unknown error with a 500 that reveals nothing of it', () => {
    const { status, body } = render(new Error('secret internals'));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('secret');
  });
});
