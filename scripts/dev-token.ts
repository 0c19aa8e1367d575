import { issueToken, type Grant, type Role } from '@aal/auth';
import { SERVICE_NAMES } from '@aal/contracts';
import type { Caller } from '@aal/http';
import { Command } from 'commander';
import { createHash, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { people, type TokenSource } from './demo-scenario';

/** The issuer the development stack trusts (AUTH_ISSUER in scripts/stack.sh). */
export const DEV_ISSUER = 'https://identity.dev.aal.invalid';
/** Development tokens name every service's audience, so one token works across the local stack. */
const DEV_AUDIENCES = SERVICE_NAMES.map((service) => `aal:${service}`);

/** The development keys' folder: KEYS_DIR, or the checkout's `.keys/` (scripts/dev-keys.ts). */
export const keysDir = (): string => resolve(process.env['KEYS_DIR'] ?? join(__dirname, '..', '..', '.keys'));

/**
 * Named demo users: the scenario's people, the hospital's data controller (grants investigators
 * access to its records), and a regulator: an auditor with the cross-organisation grant who may
 * also issue investigation mandates.
 */
export const DEMO_USERS: Record<string, Caller & { grants?: Grant[]; roles?: Role[] }> = {
  ...people,
  dataController: { organisationId: 'st-swithins-hospital', personId: 'psn_sw_dpo_00001', role: 'data-controller' },
  regulator: {
    organisationId: 'care-quality-audit',
    personId: 'psn_cqa_auditor_01',
    role: 'auditor',
    roles: ['regulator'],
    grants: ['all-organisations'],
  },
};

/** Issues development tokens with the key scripts/dev-keys.ts made; never for production. */
export function devTokens(options: { expiresInSeconds?: number; grants?: Grant[] } = {}): TokenSource {
  const jwk = JSON.parse(readFileSync(join(keysDir(), 'identity-signing-key.json'), 'utf8')) as { kty: string; crv: string; x: string };
  const kid = createHash('sha256')
    .update(JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }))
    .digest('base64url');
  const privateKey = createPrivateKey({ key: jwk as never, format: 'jwk' });
  return (caller) =>
    issueToken(
      { kid, privateKey, publicJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid } },
      {
        organisationId: caller.organisationId,
        personId: caller.personId,
        roles: [caller.role as Role, ...((caller as { roles?: Role[] }).roles ?? [])],
        grants: options.grants ?? (caller as { grants?: Grant[] }).grants ?? [],
      },
      { issuer: DEV_ISSUER, audience: DEV_AUDIENCES, expiresInSeconds: options.expiresInSeconds ?? 8 * 3600 },
    );
}

async function main(): Promise<void> {
  const program = new Command()
    .name('dev-token')
    .description('Print a development bearer token for a named demo user (npm run token -- investigator).')
    .argument('<user>', `one of: ${Object.keys(DEMO_USERS).join(', ')}`)
    .option('--hours <n>', 'lifetime in hours', '8')
    .action(async (user: string, opts: { hours: string }) => {
      const caller = DEMO_USERS[user];
      if (!caller) {
        process.stderr.write(`unknown user ${user}; choose one of: ${Object.keys(DEMO_USERS).join(', ')}\n`);
        process.exit(2);
      }
      process.stdout.write(`${await devTokens({ expiresInSeconds: Number(opts.hours) * 3600 })(caller)}\n`);
    });
  await program.parseAsync(process.argv);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`dev-token failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
