import { Public } from '@aal/auth';
import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';

/** One dependency the service needs before it can do useful work (PostgreSQL, Kafka, ...). */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when healthy; rejects with a reason. Must finish within a few seconds. */
  check(): Promise<void>;
  /**
   * An advisory check reports a failure as `degraded` without making the service unready: for
   * things the service works without or that stopping traffic would not cure (a witness that is
   * behind never stops appends; a self-audit mismatch is for an operator to look at).
   */
  readonly advisory?: boolean;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

const CHECK_TIMEOUT_MS = 3000;

async function run(check: ReadinessCheck): Promise<{ name: string; ok: boolean; detail?: string; advisory?: true }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { name: check.name, ok: true };
  } catch (err) {
    return { name: check.name, ok: false, detail: (err as Error).message, ...(check.advisory ? { advisory: true as const } : {}) };
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness says the process runs; readiness says its dependencies answer. */
@ApiExcludeController()
@Public('Orchestrators probe it; it says only whether the service and its dependencies answer.')
@Controller('health')
export class HealthController {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'up' };
  }

  @Get('ready')
  async ready(@Res() res: Response) {
    const results = await Promise.all(this.checks.map(run));
    const ok = results.every((r) => r.ok || r.advisory);
    const status = !ok ? 'not-ready' : results.every((r) => r.ok) ? 'ready' : 'degraded';
    res.status(ok ? 200 : 503).json({ status, checks: results });
  }
}
