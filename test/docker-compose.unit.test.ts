import { portVariable, SERVICE_NAMES, SERVICE_PORTS } from '@aal/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scriptKafkaVersion } from '../libs/testing/src/infrastructure';

/**
 * docker-compose.yml and its host-network override (scripts/docker-smoke.sh runs both on a real
 * engine) agree with the project: the Kafka that scripts/kafka.sh runs, and every service on its port.
 */
const ROOT = join(__dirname, '..');
const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const override = readFileSync(join(ROOT, 'docker-compose.host-network.yml'), 'utf8');

describe('docker-compose.yml', () => {
  it('runs the Kafka version scripts/kafka.sh runs', () => {
    expect(compose).toContain(`image: \${KAFKA_IMAGE:-apache/kafka:${scriptKafkaVersion()}}`);
  });

  it.each(SERVICE_NAMES)('runs %s on its port, with its own event signing key, published on loopback', (service) => {
    const port = SERVICE_PORTS[service];
    const block = new RegExp(`^  ${service}:\\n(    .*\\n)+`, 'm').exec(compose)?.[0] ?? '';
    expect(block).toContain(`${portVariable(service)}: "${port}"`);
    expect(block).toContain(`EVENT_SIGNING_KEY_FILE: /keys/${service}-event-signing-key.pem`);
    expect(block).toContain(`ports: ["127.0.0.1:${port}:${port}"]`);
  });

  it.each(SERVICE_NAMES)('puts %s on the host network in the override, on its port + 10000', (service) => {
    const line = override.split('\n').find((l) => l.startsWith(`  ${service}: `)) ?? '';
    expect(line).toContain('network_mode: host');
    expect(line).toContain(`${portVariable(service)}: "\${AAL_SMOKE_${portVariable(service)}:-${SERVICE_PORTS[service] + 10000}}"`);
  });
});
