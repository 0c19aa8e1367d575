import { Actor, CloudEventSchema, DEPLOYMENT_STATUSES, DeploymentRequestedV1 } from '@aal/contracts';
import type { AnswerOf } from '@aal/http';
import { Type } from '@sinclair/typebox';

/**
 * What the deployment routes answer, defined once for the handlers' return types and the OpenAPI
 * document. The request's facts and the status are stated member by member; the approval's
 * facts, policies and transitions are open objects for now (additional members allowed).
 */
const requested = DeploymentRequestedV1.schema.properties;

const deploymentFacts = {
  deploymentId: requested.deploymentId,
  employerId: requested.employerId,
  modelId: requested.modelId,
  versionId: requested.versionId,
  setting: requested.setting,
  intendedUse: requested.intendedUse,
  requestedBy: Actor,
  status: Type.Union(DEPLOYMENT_STATUSES.map((s) => Type.Literal(s))),
  policies: Type.Array(Type.Object({ policyId: Type.String({ format: 'uuid' }) }, { additionalProperties: true })),
  transitions: Type.Array(
    Type.Object({ status: Type.String(), by: Actor, at: Type.String({ format: 'date-time' }) }, { additionalProperties: true }),
  ),
  revision: Type.Integer({ minimum: 1 }),
};

const example = {
  deploymentId: '5c344d8e-91e9-4479-9468-e9feddaf26f1',
  employerId: 'st-swithins-hospital',
  modelId: '0b9f4c2e-3c1a-4d8e-9a55-6f1f2b7c9d10',
  versionId: '7d3e1f20-5b6a-4c7d-8e9f-0a1b2c3d4e5f',
  setting: { sites: ['ward-7a'], services: ['Acute medicine'], roles: ['staff-nurse'] },
  intendedUse: 'Sepsis early warning on acute medical ward 7A, advisory.',
  requestedBy: { organisationId: 'st-swithins-hospital', personId: 'psn_sw_wardmgr_07', role: 'employer-requester' },
  status: 'requested',
  policies: [],
  transitions: [],
  revision: 1,
};

export const DeploymentAnswer = Type.Object(
  {
    ...deploymentFacts,
    history: Type.Optional(Type.Array(CloudEventSchema, { description: "Its events; only for the employer's own staff and auditors." })),
  },
  { additionalProperties: true, description: 'The deployment as it stands.', examples: [example] },
);
export type DeploymentAnswer = AnswerOf<typeof DeploymentAnswer>;

export const UsagePolicyAnswer = Type.Composite([Type.Object({ policyId: Type.String({ format: 'uuid' }) }), DeploymentAnswer], {
  additionalProperties: true,
  description: 'The policy issued, and the deployment as it stands.',
});
export type UsagePolicyAnswer = AnswerOf<typeof UsagePolicyAnswer>;

export const DeploymentListAnswer = Type.Object(
  {
    items: Type.Array(Type.Object(deploymentFacts, { additionalProperties: true })),
    limit: Type.Integer(),
    offset: Type.Integer(),
  },
  { additionalProperties: false, description: 'A page of deployments.', examples: [{ items: [example], limit: 50, offset: 0 }] },
);
export type DeploymentListAnswer = AnswerOf<typeof DeploymentListAnswer>;
