import type { ProducerName } from './event-definition';

/** Default HTTP port of each service; each can be overridden by its `<NAME>_PORT` variable. */
export const SERVICE_PORTS: Record<ProducerName, number> = {
  'model-registry': 3001,
  'deployment-approval': 3002,
  'usage-events': 3003,
  ledger: 3004,
  concerns: 3005,
  incidents: 3006,
};

/** Every service, in the order of their ports: the one list of them. */
export const SERVICE_NAMES = Object.keys(SERVICE_PORTS) as ProducerName[];

/** `model-registry` → `MODEL_REGISTRY_PORT`. */
export function portVariable(service: ProducerName): string {
  return `${service.toUpperCase().replace(/-/g, '_')}_PORT`;
}

export function servicePort(service: ProducerName, env: Record<string, string | undefined> = process.env): number {
  const raw = env[portVariable(service)];
  return raw ? Number(raw) : SERVICE_PORTS[service];
}

/** Interface the services bind to: loopback unless HOST says otherwise (containers use 0.0.0.0). */
export function listenHost(env: Record<string, string | undefined> = process.env): string {
  return env['HOST'] ?? '127.0.0.1';
}
