import { EventPublisher } from '@aal/kafka';
import { actors, asKafkaMessage, eventually, makeEvent, type RunningProducer } from '@aal/testing';
import { sepsisWatchPopulation } from '@aal/testing/unit';

/**
 * Makes a SepsisWatch release known to the service's model catalogue, as model-registry would:
 * `model.registered` and `model.version.released` (v2: coded contraindications, adults) on
 * model-registry's topic under the service's prefix, then waits until the catalogue has it.
 * Approval, activation and reinstatement are refused for a version the catalogue does not know.
 */
export async function catalogueVersion(service: RunningProducer, ids: { modelId: string; versionId: string }): Promise<void> {
  const prefix = service.topic.slice(0, -'aal.deployment-approval.events.v1'.length);
  const vendor = { modelId: ids.modelId, vendorId: 'acme-ai', actor: actors.vendorAdmin };
  const publisher = new EventPublisher(service.kafka);
  try {
    await publisher.publish(
      [
        makeEvent('model.registered', {
          ...vendor,
          name: 'SepsisWatch',
          intendedPurpose: 'Early warning of sepsis.',
          riskClass: 'uk-mdr-class-iia',
          manufacturerSafetyOfficer: 'psn_acmecso00001',
        }),
        makeEvent('model.version.released', {
          ...vendor,
          versionId: ids.versionId,
          version: '2.1.0',
          artifactDigest: `sha256:${'a'.repeat(64)}`,
          intendedUse: 'Adult wards.',
          ...sepsisWatchPopulation,
          knownLimitations: [],
          evidenceRefs: [],
        }),
      ].map((e) => asKafkaMessage(e, prefix)),
    );
  } finally {
    await publisher.disconnect();
  }
  await eventually(
    () => service.call('GET', `/model-catalogue/versions/${ids.versionId}`, { caller: actors.requester }),
    (res) => res.status === 200,
    60000,
    'the model catalogue to know the version',
  );
}
