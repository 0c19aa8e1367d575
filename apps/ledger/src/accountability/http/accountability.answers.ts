import {
  AccountabilityAnswer as ComputedAccountabilityAnswer,
  DeploymentScopeAnswer as ComputedDeploymentScopeAnswer,
} from '@aal/accountability';
import { Type } from '@sinclair/typebox';
import { provenAnswerSchema } from '../application/proven-answer';
import { OversightContext } from '../../oversight/application/oversight.query';

/**
 * What the ledger's accountability reads answer (OpenAPI). Closed schemas derive from the pure
 * answers' own schemas in libs/accountability (the handlers' return types are their Static types);
 * the others state the members clients rely on and allow the rest for now.
 */
const open = { additionalProperties: true } as const;
const Finding = Type.Object({ code: Type.String(), evidence: Type.Array(Type.Integer()) }, open);

export const AccountabilityAnswer = provenAnswerSchema(
  ComputedAccountabilityAnswer,
  { description: 'The accountability chain of one output, each fact with the entries that prove it, and the oversight around it.' },
  { oversightContext: OversightContext },
);

export const IncidentClockAnswer = Type.Object(
  { basis: Type.Object({ seqs: Type.Array(Type.Integer()) }, open), findings: Type.Array(Finding) },
  { ...open, description: "A serious incident's reporting clock, with the entries it rests on." },
);

export const ConcernAccountabilityAnswer = Type.Object(
  { status: Type.String(), answers: Type.Array(Type.Object({}, open)), findings: Type.Array(Finding) },
  { ...open, description: "The ledger's answer for a concern: who answered it and when, and its findings." },
);

export const DeploymentScopeAnswer = provenAnswerSchema(ComputedDeploymentScopeAnswer, {
  description: "A deployment's request, approval, activation and scope as in force at `asOf`, with the entries that prove them.",
});
