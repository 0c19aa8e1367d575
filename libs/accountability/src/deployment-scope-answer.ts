import { DeploymentRequestedV1 } from '@aal/contracts';
import { Type, type Static } from '@sinclair/typebox';
import { deploymentPartAt, scopeChangeItems } from './accountability-chain';
import { ApprovedAndDeployed, ScopeChangeItem } from './accountability-chain.schema';
import { knownBy, StatedKnownAt } from './clocks';
import type { Fact, FactNamed } from './fact';

/**
 * A deployment's approval and approved scope as they stood at `asOf` (by default the recorded time
 * of the last entry known, as for a concern's answer), from what the ledger had
 * recorded by `knownAt` (GET /deployments/{id}/scope, docs/oversight.md): what the employer's
 * staff and auditors set beside where the tool was used, without reading an output's chain. Every
 * item is built as an output's chain builds it (deploymentPartAt), with its `evidence` seqs and
 * both clocks; `scope` is the one in force at `asOf` (the approval's, or the last scope change
 * in effect by then), and `scopeChanges` lists every change known, in ledger order.
 */
export const DeploymentScopeAnswer = Type.Object(
  {
    deploymentId: ApprovedAndDeployed.properties.deploymentId,
    employerId: DeploymentRequestedV1.schema.properties.employerId,
    asOf: Type.String({ format: 'date-time' }),
    asOfSource: Type.Union([Type.Literal('known-at'), Type.Literal('requested')]),
    knownAt: StatedKnownAt,
    request: ApprovedAndDeployed.properties.request,
    approval: ApprovedAndDeployed.properties.approval,
    activation: ApprovedAndDeployed.properties.activation,
    scope: ApprovedAndDeployed.properties.scope,
    reviewDateInForce: ApprovedAndDeployed.properties.reviewDateInForce,
    stateAtAsOf: ApprovedAndDeployed.properties.stateAtOutputTime,
    transitions: ApprovedAndDeployed.properties.transitions,
    scopeChanges: Type.Array(ScopeChangeItem, { description: 'Every scope change known, in ledger order.' }),
  },
  { additionalProperties: false },
);
export type DeploymentScopeAnswer = Static<typeof DeploymentScopeAnswer>;

export interface DeploymentScopeClocks {
  /** RFC 3339; defaults to `knownAt.recordedAt`. */
  readonly asOf?: string;
  readonly knownAt: DeploymentScopeAnswer['knownAt'];
}

/** Null when the ledger, as of `knownAt`, holds no deployment.requested for the deployment. Pure. */
export function answerDeploymentScope(
  deploymentId: string,
  facts: readonly Fact[],
  clocks: DeploymentScopeClocks,
): DeploymentScopeAnswer | null {
  const known = knownBy(facts, clocks.knownAt);
  const requested = known.find(
    (f): f is FactNamed<'deployment.requested'> => f.name === 'deployment.requested' && f.data.deploymentId === deploymentId,
  );
  if (!requested) return null;
  const asOf = clocks.asOf ?? clocks.knownAt.recordedAt;
  const part = deploymentPartAt(deploymentId, known, asOf);
  return {
    deploymentId,
    employerId: requested.data.employerId,
    asOf,
    asOfSource: clocks.asOf === undefined ? 'known-at' : 'requested',
    knownAt: clocks.knownAt,
    request: part.request,
    approval: part.approval,
    activation: part.activation,
    scope: part.scope,
    reviewDateInForce: part.reviewDateInForce,
    stateAtAsOf: part.stateAtOutputTime,
    transitions: part.transitions,
    scopeChanges: scopeChangeItems(deploymentId, known, asOf),
  };
}
