// The one output chain the unit tests of this library reason about: fixed ids, so a failing
// expectation names the same model, version and deployment in every test file.

/** The ids of the chain's model, version, deployment, output, policy and training. */
export const ids = {
  modelId: '0f5d2d51-2c43-4a8e-bb2f-6b1e9e7c3d20',
  versionId: '9a1c2e37-7d4b-4f1a-8c55-0e2b3f4a5b61',
  deploymentId: '4b0e7c1e-5f0a-4a39-9a8e-2d8d1f0c6a11',
  outputId: 'out-sepsis-0001',
  policyId: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f',
  trainingId: '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a',
};

/** The chain's time origin: its first event happens here. */
export const BASE = Date.parse('2026-11-02T09:00:00Z');

/** `minutes` after BASE, as an ISO instant. */
export const t = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();
