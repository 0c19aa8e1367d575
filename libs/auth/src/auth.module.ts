import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccessGuard, TOKEN_VERIFIER } from './access.guard';
import type { AuthSettings } from './auth-settings';
import { CallerRateLimitGuard } from './rate-limit.guard';
import { createTokenVerifier } from './token-verifier';

/** Authentication, function-level authorisation and per-caller rate limiting for one service. */
@Module({})
export class AuthModule {
  static forRoot(settings: AuthSettings): DynamicModule {
    const limited = settings.rateLimitPerMinute > 0;
    return {
      module: AuthModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'per-caller', ttl: 60_000, limit: limited ? settings.rateLimitPerMinute : Number.MAX_SAFE_INTEGER }],
          skipIf: () => !limited,
        }),
      ],
      // Order matters: Nest runs global guards in registration order, and the rate limit keys on
      // the caller that AccessGuard established.
      providers: [
        { provide: TOKEN_VERIFIER, useValue: createTokenVerifier(settings) },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useClass: CallerRateLimitGuard },
      ],
    };
  }
}
