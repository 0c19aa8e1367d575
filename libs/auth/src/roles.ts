/**
 * Access roles, written once. A token names the roles its holder may act in; each route names
 * the roles it admits. The role a caller acted in is what events record as `actor.role`.
 */
export const ROLES = {
  'vendor-admin': 'Registers models and releases versions for its own organisation (vendor).',
  'vendor-safety-officer': "Issues, resolves and withdraws on safety grounds for its own organisation's models (vendor).",
  'employer-requester': 'Requests deployments for its own organisation (employer).',
  'employer-approver': 'Approves or rejects deployments, e.g. the clinical safety officer (employer).',
  'employer-admin': 'Activates, suspends, revokes deployments; issues usage policies; records training (employer).',
  'clinical-system': "Reports AI outputs and what professionals did with them for its own organisation's deployments.",
  investigator:
    "Opens cases on its own organisation's records or under a mandate, and reads the accountability chain of the outputs in cases granted to them.",
  'data-controller': "Grants investigating bodies access to its own organisation's records.",
  regulator: 'Issues investigation mandates over the organisations it regulates.',
  'concern-intake':
    'Takes in concerns from patients, their representatives, PPI groups and staff about its own organisation’s model versions or deployments, and acknowledges and answers those addressed to it (vendor or employer).',
  auditor: "Reads, never writes; its own organisation's records, all organisations only with the `all-organisations` grant.",
} as const;

export type Role = keyof typeof ROLES;

export const ROLE_NAMES = Object.keys(ROLES) as Role[];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && Object.hasOwn(ROLES, value);
}

/** Grants beyond a role, carried in the token's `grants` claim. */
export const GRANTS = {
  'all-organisations': "An auditor's read access across every organisation.",
} as const;

export type Grant = keyof typeof GRANTS;

export function isGrant(value: unknown): value is Grant {
  return typeof value === 'string' && Object.hasOwn(GRANTS, value);
}
