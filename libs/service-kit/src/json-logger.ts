import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/** Structured JSON logs on stdout (one object per line), level from LOG_LEVEL. */
export function createJsonLogger(service: string, level = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'msg' });
}

/** Routes Nest's own logging into the JSON logger. */
export class NestJsonLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.write('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string) {
    this.write('error', message, context, trace);
  }
  warn(message: unknown, context?: string) {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.write('trace', message, context);
  }
  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, context?: string, trace?: string) {
    const fields = typeof message === 'object' && message !== null ? { ...(message as object) } : { msg: String(message) };
    this.logger[level]({ context, ...(trace ? { trace } : {}), ...fields });
  }
}
