import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const CORRELATION_HEADER = 'x-correlation-id';
const SAFE = /^[A-Za-z0-9._:-]{1,100}$/;

/** Reuses a well-formed caller-supplied correlation id or assigns one, and echoes it. */
export function correlationIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  correlationIdOf(req, res);
  next();
}

export function correlationIdOf(req: Request, res: Response): string {
  const existing = res.getHeader(CORRELATION_HEADER);
  if (typeof existing === 'string') return existing;
  const supplied = req.header(CORRELATION_HEADER);
  const id = supplied && SAFE.test(supplied) ? supplied : randomUUID();
  res.setHeader(CORRELATION_HEADER, id);
  return id;
}
