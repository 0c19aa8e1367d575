/**
 * How a service reaches PostgreSQL. `DATABASE_URL` names the server and database and an
 * administrative user used only to provision roles and run migrations; a running service always
 * connects as its own `..._app` role, which owns nothing and cannot drop triggers.
 */
export interface DatabaseSettings {
  /** Administrative URL (provisioning and migrations). */
  readonly adminUrl: string;
  /** Password given to, and used by, the service login roles. */
  readonly appPassword: string;
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/aal';

export function databaseSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  return {
    adminUrl: env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL,
    appPassword: env['DATABASE_APP_PASSWORD'] ?? 'aal-dev-only',
  };
}

/** The same server and database as `adminUrl`, logged in as `role`. */
export function urlForRole(adminUrl: string, role: string, password: string): string {
  const url = new URL(adminUrl);
  url.username = role;
  url.password = password;
  return url.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

export function withDatabase(url: string, name: string): string {
  const next = new URL(url);
  next.pathname = `/${encodeURIComponent(name)}`;
  return next.toString();
}
