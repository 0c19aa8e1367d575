import type { AuthSettings } from '@aal/auth';
import type { DatabaseSettings } from '@aal/database';
import type { KafkaSettings } from '@aal/kafka';
import type { ProducerAppConfig, ProducerService } from '@aal/service-kit';
import { testAuthSettings } from './test-identity';
import { testEventKeySet, testEventSigningKey } from './test-signer';

/**
 * A producing service's configuration as tests run it in-process: on a free port, signing with
 * its test event key and trusting every test producer's key, with the test identity provider.
 */
export function testProducerConfig(
  service: ProducerService,
  parts: { readonly database: DatabaseSettings; readonly kafka: KafkaSettings; readonly instanceId?: string; readonly auth?: AuthSettings },
): ProducerAppConfig {
  return {
    service,
    port: 0,
    instanceId: parts.instanceId ?? 'test',
    database: parts.database,
    kafka: { ...parts.kafka, clientId: service },
    auth: parts.auth ?? testAuthSettings(service),
    eventSigning: testEventSigningKey(service),
    eventKeys: testEventKeySet(),
  };
}
