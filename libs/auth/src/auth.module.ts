import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccessGuard, TOKEN_VERIFIER } from './access.guard';
import type { AuthSettings } from './auth-settings';
import { AddressRateLimitGuard, CallerRateLimitGuard, PER_ADDRESS, PER_CALLER } from './rate-limit.guard';
import { createTokenVerifier } from './token-verifier';

/** Requests one client address may make per minute, as a multiple of the per-caller limit. */
export const ADDRESS_LIMIT_FACTOR = 5;

/** Authentication, function-level authorisation and per-caller rate limiting for one service. */
@Module({})
export class AuthModule {
  static forRoot(settings: AuthSettings): DynamicModule {
    const limited = settings.rateLimitPerMinute > 0;
    return {
      module: AuthModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [
            // Per address, before tokens are checked: generous, since many callers may share an address.
            {
              name: PER_ADDRESS,
              ttl: 60_000,
              limit: limited ? settings.rateLimitPerMinute * ADDRESS_LIMIT_FACTOR : Number.MAX_SAFE_INTEGER,
            },
            { name: PER_CALLER, ttl: 60_000, limit: limited ? settings.rateLimitPerMinute : Number.MAX_SAFE_INTEGER },
          ],
          skipIf: () => !limited,
        }),
      ],
      // Order matters: Nest runs global guards in registration order. The address limit comes
      // before any token work; the caller limit keys on the caller that AccessGuard established.
      providers: [
        { provide: TOKEN_VERIFIER, useValue: createTokenVerifier(settings) },
        { provide: APP_GUARD, useClass: AddressRateLimitGuard },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useClass: CallerRateLimitGuard },
      ],
    };
  }
}
