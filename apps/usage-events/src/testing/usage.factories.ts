import type { Actor, Professional } from '@aal/contracts';
import { randomBytes, randomUUID } from 'node:crypto';

/** Test data for usage-events, shared by unit and API tests. Pseudonyms are base64url, as advised. */

export const clinicalSystem: Actor = { organisationId: 'st-swithins-hospital', personId: 'psn_epicbridge0001', role: 'clinical-system' };
export const otherTrust: Actor = { organisationId: 'other-trust', personId: 'psn_otherbridge001', role: 'clinical-system' };
export const nurse: Professional = { personId: 'psn_nurseAdaLovel', role: 'staff-nurse' };
export const registrar: Professional = { personId: 'psn_registrarMaryS', role: 'registrar' };

/**
 * A deployment of each organisation, which every test service's directory knows from the start
 * (startUsageEvents publishes their events); `outputBody` reports for the hospital's.
 */
export const hospitalDeployment = { deploymentId: '5b0e7c1d-2f4a-4b6c-9d8e-1a3c5e7f9b20', employerId: clinicalSystem.organisationId };
export const otherTrustDeployment = { deploymentId: '8c2d4e6f-1b3a-4c5d-8e7f-2a4b6c8d0e13', employerId: otherTrust.organisationId };

export const MINUTE = 60_000;

/** An RFC 3339 time `minutes` from `base` (ms), in UTC or at a fixed offset such as `+01:00`. */
export function at(base: number, minutes = 0, offset: `${'+' | '-'}${string}:${string}` | 'Z' = 'Z'): string {
  const ms = base + minutes * MINUTE;
  if (offset === 'Z') return new Date(ms).toISOString();
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours, mins] = offset.slice(1).split(':').map(Number) as [number, number];
  return new Date(ms + sign * (hours * 60 + mins) * MINUTE).toISOString().replace('Z', offset);
}

export const newOutputId = () => `out-${randomBytes(6).toString('hex')}`;
export const digest = () => `sha256:${randomBytes(32).toString('hex')}`;

/** The body of POST /outputs, for the hospital's deployment unless `overrides` names another. */
export function outputBody(occurredAt: string, overrides: Record<string, unknown> = {}) {
  return {
    outputId: newOutputId(),
    deploymentId: hospitalDeployment.deploymentId,
    modelId: randomUUID(),
    versionId: randomUUID(),
    subjectRef: `psn_${randomBytes(12).toString('base64url').replace(/[0-9]/g, 'x')}`,
    outputDigest: digest(),
    site: 'ward-7',
    summary: 'sepsis risk: high (score 7)',
    occurredAt,
    ...overrides,
  };
}
