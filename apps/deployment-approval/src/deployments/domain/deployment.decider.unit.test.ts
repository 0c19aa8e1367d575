import { deciderSpec } from '@aal/testing/unit';
import { deploymentDecider } from './deployment.decider';
import type {
  DeploymentCommand,
  DeploymentCommandKind,
  DeploymentEvent,
  DeploymentStatus,
  VersionCatalogueFacts,
} from './deployment.types';

// ---- test data -------------------------------------------------------------------------------

const requester = { organisationId: 'st-swithins', personId: 'psn_digitallead01', role: 'digital-lead' };
const approver = { organisationId: 'st-swithins', personId: 'psn_safetyofficer1', role: 'employer-approver' };
const operator = { organisationId: 'st-swithins', personId: 'psn_opsmanager001', role: 'operations-manager' };
const outsider = { organisationId: 'other-trust', personId: 'psn_outsider00001', role: 'employer-approver' };

const deploymentId = '4b0e7c1e-5f0a-4a39-9a8e-2d8d1f0c6a11';
const modelId = '0f5d2d51-2c43-4a8e-bb2f-6b1e9e7c3d20';
const versionId = '9a1c2e37-7d4b-4f1a-8c55-0e2b3f4a5b61';
const policyId = 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f';
const setting = { sites: ['north-ward', 'south-ward'], services: ['Acute medicine'], roles: ['staff-nurse', 'registrar'] };

const T = {
  requested: '2025-01-10T09:00:00.000Z',
  approved: '2025-01-11T09:00:00.000Z',
  activated: '2025-01-12T09:00:00.000Z',
  suspended: '2025-02-01T09:00:00.000Z',
  reinstated: '2025-02-03T09:00:00.000Z',
  revoked: '2025-03-01T09:00:00.000Z',
  policy: '2025-01-13T09:00:00.000Z',
  scopeChanged: '2025-01-20T09:00:00.000Z',
  reviewed: '2025-12-01T09:00:00.000Z',
};
const reviewDate = '2026-01-11';
/** The scope after the tests' scope change: one ward, one role, until an earlier review. */
const narrowed = {
  sites: ['south-ward'],
  services: ['Acute medicine'],
  roles: ['staff-nurse'],
  population: { ageBands: ['40-64', '65-79'] as ('40-64' | '65-79')[], excludedContraindicationCodes: ['acme:under-18'] },
  uses: ['advisory' as const, 'mandatory' as const],
};
const otherModelId = '5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716';
const noticeId = 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6';
const secondNoticeId = 'e2f3a4b5-c6d7-4e8f-9a01-b2c3d4e5f6a7';

const underEighteen = { code: 'acme:under-18', text: 'Patients under 18' };
const adults = ['18-39', '40-64', '65-79', '80-plus'] as const;
/** What the vendor said the version is for (model.version.released v2). */
const population = { contraindications: [underEighteen], ageBands: [...adults] };

/** What the model catalogue knows about the deployment's version: by default, released (v2, coded) and clear. */
const released = { versionId, modelId, status: 'released', withdrawnAt: null, population } as const;
const catalogue = {
  usable: { version: released, notices: [] },
  unknown: { version: null, notices: [] },
  otherModel: { version: { ...released, modelId: otherModelId }, notices: [] },
  withdrawn: { version: { ...released, status: 'withdrawn', withdrawnAt: '2025-01-10T12:00:00.000Z' }, notices: [] },
  notice: (severity: 'low' | 'medium' | 'high' | 'critical', resolvedAt: string | null = null, id = noticeId, affected = [versionId]) => ({
    noticeId: id,
    severity,
    affectedVersionIds: affected,
    resolvedAt,
  }),
} satisfies Record<string, VersionCatalogueFacts | ((...args: never[]) => unknown)>;

/** The scope approved by default: all that was requested, adults only, advisory use. */
const scope = {
  sites: ['north-ward', 'south-ward'],
  services: ['Acute medicine'],
  roles: ['staff-nurse', 'registrar'],
  population: { ageBands: [...adults], excludedContraindicationCodes: [underEighteen.code] },
  uses: ['advisory' as const],
};

/** The usage policy the tests issue: what the command states and the event records. */
const policy = {
  policyId,
  use: 'advisory' as const,
  roles: ['staff-nurse'],
  sites: ['north-ward'],
  humanReviewRequired: true,
  minimumReviewSeconds: 30,
  effectiveFrom: T.policy,
};

/** Commands as an employer's staff would issue them, each overridable. */
const command = {
  request: (o: Partial<DeploymentCommand> = {}) =>
    ({
      kind: 'RequestDeployment',
      occurredAt: T.requested,
      deploymentId,
      modelId,
      versionId,
      setting,
      intendedUse: 'Sepsis early warning on adult wards.',
      actor: requester,
      ...o,
    }) as DeploymentCommand,
  approve: (o: Partial<DeploymentCommand> = {}) =>
    ({
      kind: 'ApproveDeployment',
      occurredAt: T.approved,
      catalogue: catalogue.usable,
      deploymentId,
      conditions: ['Advisory use only'],
      hazardLogRef: 'HL-2025-014',
      reviewDate,
      scope,
      actor: approver,
      ...o,
    }) as DeploymentCommand,
  reject: (o: Partial<DeploymentCommand> = {}) =>
    ({
      kind: 'RejectDeployment',
      occurredAt: T.approved,
      deploymentId,
      reason: 'Validation evidence does not cover our population.',
      actor: approver,
      ...o,
    }) as DeploymentCommand,
  activate: (o: Partial<DeploymentCommand> = {}) =>
    ({
      kind: 'ActivateDeployment',
      occurredAt: T.activated,
      catalogue: catalogue.usable,
      deploymentId,
      sites: ['north-ward'],
      effectiveAt: T.activated,
      actor: operator,
      ...o,
    }) as DeploymentCommand,
  suspend: (o: Partial<DeploymentCommand> = {}) =>
    ({
      kind: 'SuspendDeployment',
      occurredAt: T.suspended,
      deploymentId,
      reason: 'Vendor safety notice under review.',
      effectiveAt: T.suspended,
      actor: approver,
      ...o,
    }) as DeploymentCommand,
  reinstate: (o: Partial<DeploymentCommand> = {}) =>
    ({
      kind: 'ReinstateDeployment',
      occurredAt: T.reinstated,
      catalogue: catalogue.usable,
      deploymentId,
      reason: 'Safety notice mitigated.',
      effectiveAt: T.reinstated,
      actor: approver,
      ...o,
    }) as DeploymentCommand,
  revoke: (o: Partial<DeploymentCommand> = {}) =>
    ({
      kind: 'RevokeDeployment',
      occurredAt: T.revoked,
      deploymentId,
      reason: 'Replaced by another product.',
      effectiveAt: T.revoked,
      actor: approver,
      ...o,
    }) as DeploymentCommand,
  expire: (o: Partial<DeploymentCommand> = {}) =>
    ({ kind: 'ExpireDeployment', occurredAt: '2026-01-11T00:00:00.000Z', deploymentId, actor: operator, ...o }) as DeploymentCommand,
  issuePolicy: (o: Partial<DeploymentCommand> = {}) =>
    ({ kind: 'IssueUsagePolicy', occurredAt: T.policy, deploymentId, ...policy, actor: approver, ...o }) as DeploymentCommand,
  changeScope: (o: Partial<DeploymentCommand> = {}) =>
    ({
      kind: 'ChangeDeploymentScope',
      occurredAt: T.scopeChanged,
      catalogue: catalogue.usable,
      deploymentId,
      scope: narrowed,
      reviewDate: '2025-07-01',
      reason: 'South ward first, until the first review.',
      effectiveAt: T.scopeChanged,
      actor: approver,
      ...o,
    }) as DeploymentCommand,
  review: (o: Partial<DeploymentCommand> = {}) =>
    ({
      kind: 'ReviewDeployment',
      occurredAt: T.reviewed,
      deploymentId,
      summary: 'Six-month review: alert rates as expected.',
      nextReviewDate: '2027-01-11',
      effectiveAt: T.reviewed,
      actor: approver,
      ...o,
    }) as DeploymentCommand,
} satisfies Record<string, (o?: Partial<DeploymentCommand>) => DeploymentCommand>;

const employerId = 'st-swithins';
const event = {
  requested: {
    name: 'deployment.requested',
    occurredAt: T.requested,
    data: { deploymentId, employerId, modelId, versionId, setting, intendedUse: 'Sepsis early warning on adult wards.', actor: requester },
  },
  approved: {
    name: 'deployment.approved',
    occurredAt: T.approved,
    data: { deploymentId, employerId, conditions: ['Advisory use only'], hazardLogRef: 'HL-2025-014', reviewDate, scope, actor: approver },
  },
  /** As deployments approved before scopes were recorded (deployment.approved v1). */
  approvedV1: {
    name: 'deployment.approved',
    occurredAt: T.approved,
    data: { deploymentId, employerId, conditions: ['Advisory use only'], hazardLogRef: 'HL-2025-014', reviewDate, actor: approver },
  },
  rejected: {
    name: 'deployment.rejected',
    occurredAt: T.approved,
    data: { deploymentId, employerId, reason: 'Validation evidence does not cover our population.', actor: approver },
  },
  activated: {
    name: 'deployment.activated',
    occurredAt: T.activated,
    data: { deploymentId, employerId, sites: ['north-ward'], effectiveAt: T.activated, actor: operator },
  },
  suspended: {
    name: 'deployment.suspended',
    occurredAt: T.suspended,
    data: { deploymentId, employerId, reason: 'Vendor safety notice under review.', effectiveAt: T.suspended, actor: approver },
  },
  revoked: {
    name: 'deployment.revoked',
    occurredAt: T.revoked,
    data: { deploymentId, employerId, reason: 'Replaced by another product.', effectiveAt: T.revoked, actor: approver },
  },
  expired: {
    name: 'deployment.expired',
    occurredAt: '2026-01-11T00:00:00.000Z',
    data: { deploymentId, employerId, reviewDate, effectiveAt: '2026-01-11T00:00:00.000Z', actor: operator },
  },
} satisfies Record<string, DeploymentEvent>;

/** The events that bring a deployment to each status. */
const history: Record<DeploymentStatus, DeploymentEvent[]> = {
  requested: [event.requested],
  rejected: [event.requested, event.rejected],
  approved: [event.requested, event.approved],
  active: [event.requested, event.approved, event.activated],
  suspended: [event.requested, event.approved, event.activated, event.suspended],
  revoked: [event.requested, event.approved, event.revoked],
  expired: [event.requested, event.approved, event.expired],
};

const { given } = deciderSpec(deploymentDecider);

// ---- the state machine -----------------------------------------------------------------------

describe('deployment decider', () => {
  describe('RequestDeployment', () => {
    it('records the request for the caller’s organisation, with the caller as requester', () => {
      const { state } = given().when(command.request()).then([event.requested]);
      expect(state).toMatchObject({
        status: 'requested',
        employerId,
        requestedBy: requester,
        policies: [],
        transitions: [{ status: 'requested', by: requester, at: T.requested }],
      });
    });

    it('refuses to request an id that already exists', () => {
      const error = given(...history.approved)
        .when(command.request())
        .thenRefuses('DEPLOYMENT.INVALID_TRANSITION');
      expect(error).toMatchObject({ kind: 'conflict', context: { from: 'approved', command: 'RequestDeployment' } });
    });
  });

  describe('ApproveDeployment', () => {
    it('approves a request when someone other than the requester signs it', () => {
      const { state } = given(...history.requested)
        .when(command.approve())
        .then([event.approved]);
      expect(state).toMatchObject({
        status: 'approved',
        approvedBy: approver,
        conditions: ['Advisory use only'],
        hazardLogRef: 'HL-2025-014',
        reviewDate,
        transitions: [{ status: 'requested' }, { status: 'approved', by: approver, at: T.approved }],
      });
    });

    it('refuses self-approval, even under another role', () => {
      const error = given(...history.requested)
        .when(command.approve({ actor: { ...requester, role: 'employer-approver' } }))
        .thenRefuses('DEPLOYMENT.SELF_APPROVAL');
      expect(error).toMatchObject({ kind: 'rule-violated', context: { deploymentId } });
    });
  });

  describe('RejectDeployment', () => {
    it('rejects a request and records why', () => {
      const { state } = given(...history.requested)
        .when(command.reject())
        .then([event.rejected]);
      expect(state).toMatchObject({
        status: 'rejected',
        transitions: [{ status: 'requested' }, { status: 'rejected', by: approver, at: T.approved, reason: event.rejected.data.reason }],
      });
    });

    it('refuses a rejection by the requester', () => {
      given(...history.requested)
        .when(command.reject({ actor: requester }))
        .thenRefuses('DEPLOYMENT.SELF_APPROVAL');
    });
  });

  describe('ActivateDeployment', () => {
    it('puts an approved deployment live at approved sites, recording who and from when', () => {
      const { state } = given(...history.approved)
        .when(command.activate({ effectiveAt: '2025-01-12T08:00:00.000Z' }))
        .then([{ ...event.activated, data: { ...event.activated.data, effectiveAt: '2025-01-12T08:00:00.000Z' } }]);
      expect(state).toMatchObject({ status: 'active', activatedBy: operator, activeSites: ['north-ward'] });
      // The transition is dated when it took effect, not when it was recorded.
      expect(state.status !== 'none' && state.transitions.at(-1)).toEqual({
        status: 'active',
        by: operator,
        at: '2025-01-12T08:00:00.000Z',
      });
    });

    it('approved before scopes (v1): refuses sites outside the requested setting, naming only those', () => {
      const error = given(event.requested, event.approvedV1)
        .when(command.activate({ sites: ['north-ward', 'maternity', 'icu'] }))
        .thenRefuses('DEPLOYMENT.SITE_NOT_APPROVED');
      expect(error).toMatchObject({ kind: 'rule-violated', context: { sites: ['maternity', 'icu'] } });
    });
  });

  describe('SuspendDeployment', () => {
    it('suspends an active deployment with its reason', () => {
      const { state } = given(...history.active)
        .when(command.suspend())
        .then([event.suspended]);
      expect(state.status).toBe('suspended');
      expect(state.status !== 'none' && state.transitions.at(-1)).toEqual({
        status: 'suspended',
        by: approver,
        at: T.suspended,
        reason: event.suspended.data.reason,
      });
    });
  });

  describe('ReinstateDeployment', () => {
    it('reinstates a suspended deployment at the sites it was active at', () => {
      const { state } = given(...history.suspended)
        .when(command.reinstate())
        .then([
          {
            name: 'deployment.reinstated',
            occurredAt: T.reinstated,
            data: { deploymentId, employerId, reason: 'Safety notice mitigated.', effectiveAt: T.reinstated, actor: approver },
          },
        ]);
      expect(state).toMatchObject({ status: 'active', activeSites: ['north-ward'] });
      expect(state.status !== 'none' && state.transitions.map((t) => t.status)).toEqual([
        'requested',
        'approved',
        'active',
        'suspended',
        'active',
      ]);
    });
  });

  describe('the model catalogue gates approval, activation and reinstatement', () => {
    const gated = [
      ['ApproveDeployment', 'requested', command.approve],
      ['ActivateDeployment', 'approved', command.activate],
      ['ReinstateDeployment', 'suspended', command.reinstate],
    ] as const;
    const withFacts = (make: (typeof gated)[number][2], facts: VersionCatalogueFacts) =>
      make({ catalogue: facts } as Partial<DeploymentCommand>);

    it.each(gated)('%s is refused when the catalogue does not know the version (yet)', (_kind, status, make) => {
      const error = given(...history[status])
        .when(withFacts(make, catalogue.unknown))
        .thenRefuses('DEPLOYMENT.UNKNOWN_VERSION');
      expect(error).toMatchObject({ kind: 'rule-violated', context: { modelId, versionId } });
      expect(error.detail).toContain('not arrived');
    });

    it.each(gated)('%s is refused when the version belongs to another model', (_kind, status, make) => {
      expect(
        given(...history[status])
          .when(withFacts(make, catalogue.otherModel))
          .thenRefuses('DEPLOYMENT.UNKNOWN_VERSION'),
      ).toMatchObject({ context: { modelId, versionId } });
    });

    it.each(gated)('%s is refused when the vendor withdrew the version', (_kind, status, make) => {
      const error = given(...history[status])
        .when(withFacts(make, catalogue.withdrawn))
        .thenRefuses('DEPLOYMENT.VERSION_WITHDRAWN');
      expect(error).toMatchObject({ kind: 'rule-violated', context: { versionId, withdrawnAt: '2025-01-10T12:00:00.000Z' } });
    });

    it.each(gated)('%s is refused under an unresolved critical notice, naming the notice', (_kind, status, make) => {
      const facts = { version: released, notices: [catalogue.notice('critical')] };
      const error = given(...history[status])
        .when(withFacts(make, facts))
        .thenRefuses('DEPLOYMENT.UNDER_CRITICAL_NOTICE');
      expect(error).toMatchObject({ kind: 'rule-violated', context: { versionId, noticeId, noticeIds: [noticeId] } });
      expect(error.detail).toContain(noticeId);
    });

    it('names every unresolved critical notice, and only those', () => {
      const facts = {
        version: released,
        notices: [
          catalogue.notice('critical'),
          catalogue.notice('critical', '2025-01-09T00:00:00.000Z', secondNoticeId),
          catalogue.notice('high', null, secondNoticeId),
        ],
      };
      const error = given(...history.requested)
        .when(command.approve({ catalogue: facts } as Partial<DeploymentCommand>))
        .thenRefuses('DEPLOYMENT.UNDER_CRITICAL_NOTICE');
      expect(error.context).toMatchObject({ noticeIds: [noticeId] });
    });

    it('a withdrawal outranks a critical notice', () => {
      const facts = { ...catalogue.withdrawn, notices: [catalogue.notice('critical')] };
      given(...history.requested)
        .when(command.approve({ catalogue: facts } as Partial<DeploymentCommand>))
        .thenRefuses('DEPLOYMENT.VERSION_WITHDRAWN');
    });

    it.each(gated)('%s is allowed once the critical notice is resolved, or when notices are not critical', (_kind, status, make) => {
      const facts = {
        version: released,
        notices: [catalogue.notice('critical', '2025-01-09T00:00:00.000Z'), catalogue.notice('high', null, secondNoticeId)],
      };
      expect(
        given(...history[status])
          .when(withFacts(make, facts))
          .decided().events,
      ).toHaveLength(1);
    });

    it.each(gated)('%s ignores a critical notice that names other versions', (_kind, status, make) => {
      const facts = { version: released, notices: [catalogue.notice('critical', null, noticeId, [otherModelId])] };
      expect(
        given(...history[status])
          .when(withFacts(make, facts))
          .decided().events,
      ).toHaveLength(1);
    });

    it('the catalogue facts never leak into the decided event', () => {
      const [approved] = given(...history.requested)
        .when(command.approve())
        .decided().events;
      expect(approved!.data).not.toHaveProperty('catalogue');
    });

    it('access and state are checked before the catalogue', () => {
      given().when(withFacts(command.approve, catalogue.unknown)).thenRefuses('DEPLOYMENT.NOT_FOUND');
      given(...history.requested)
        .when(command.approve({ actor: outsider, catalogue: catalogue.withdrawn } as Partial<DeploymentCommand>))
        .thenRefuses('DEPLOYMENT.NOT_OWNER');
      given(...history.active)
        .when(withFacts(command.approve, catalogue.withdrawn))
        .thenRefuses('DEPLOYMENT.INVALID_TRANSITION');
      given(...history.requested)
        .when(command.approve({ actor: requester, catalogue: catalogue.withdrawn } as Partial<DeploymentCommand>))
        .thenRefuses('DEPLOYMENT.SELF_APPROVAL');
    });

    it.each([
      ['RejectDeployment', 'requested', command.reject],
      ['SuspendDeployment', 'active', command.suspend],
      ['RevokeDeployment', 'active', command.revoke],
    ] as const)('%s stays possible for a withdrawn version: taking it out of use is always allowed', (_kind, status, make) => {
      expect(
        given(...history[status])
          .when(make())
          .decided().events,
      ).toHaveLength(1);
    });
  });

  describe('RevokeDeployment', () => {
    it.each(['approved', 'active', 'suspended'] as const)('revokes a deployment that is %s', (status) => {
      const { state } = given(...history[status])
        .when(command.revoke())
        .then([event.revoked]);
      expect(state.status).toBe('revoked');
      expect(state.status !== 'none' && state.transitions.at(-1)).toEqual({
        status: 'revoked',
        by: approver,
        at: T.revoked,
        reason: event.revoked.data.reason,
      });
    });
  });

  describe('ExpireDeployment', () => {
    it.each(['approved', 'active', 'suspended'] as const)('expires a deployment that is %s on its review date, effective now', (status) => {
      const { state } = given(...history[status])
        .when(command.expire())
        .then([event.expired]);
      expect(state).toMatchObject({ status: 'expired' });
    });

    it('expires after the review date too', () => {
      const at = '2026-06-30T12:00:00.000Z';
      given(...history.active)
        .when(command.expire({ occurredAt: at }))
        .then([
          { name: 'deployment.expired', occurredAt: at, data: { deploymentId, employerId, reviewDate, effectiveAt: at, actor: operator } },
        ]);
    });

    it('refuses before the review date, reading the day in UTC', () => {
      // 23:30 on the 10th in UTC is already the 11th in UTC+01:00; the UTC day is what counts.
      const error = given(...history.active)
        .when(command.expire({ occurredAt: '2026-01-11T00:30:00+01:00' }))
        .thenRefuses('DEPLOYMENT.NOT_YET_DUE');
      expect(error).toMatchObject({ kind: 'rule-violated', context: { reviewDate, today: '2026-01-10' } });
    });
  });

  describe('IssueUsagePolicy', () => {
    it.each(['approved', 'active', 'suspended'] as const)('issues a policy for a deployment that is %s', (status) => {
      const { state } = given(...history[status])
        .when(command.issuePolicy({ effectiveUntil: '2025-12-31T23:59:59.000Z', summary: 'Check every alert.' }))
        .then([
          {
            name: 'usage-policy.issued',
            occurredAt: T.policy,
            data: {
              deploymentId,
              employerId,
              ...policy,
              effectiveUntil: '2025-12-31T23:59:59.000Z',
              summary: 'Check every alert.',
              actor: approver,
            },
          },
        ]);
      expect(state).toMatchObject({ status, policies: [{ policyId, use: 'advisory', issuedBy: approver, issuedAt: T.policy }] });
    });

    it('approved before scopes (v1): refuses sites outside the requested setting, and checks nothing else', () => {
      const v1 = [event.requested, event.approvedV1, event.activated];
      given(...v1)
        .when(command.issuePolicy({ use: 'mandatory', roles: ['registrar'], effectiveFrom: '2027-01-01T00:00:00.000Z' }))
        .decided();
      const error = given(...v1)
        .when(command.issuePolicy({ sites: ['north-ward', 'maternity'] }))
        .thenRefuses('DEPLOYMENT.SITE_NOT_APPROVED');
      expect(error).toMatchObject({ context: { sites: ['maternity'] } });
    });

    it('refuses a policy that ends before or when it starts', () => {
      const error = given(...history.active)
        .when(command.issuePolicy({ effectiveUntil: T.policy }))
        .thenRefuses('DEPLOYMENT.POLICY_PERIOD_INVALID');
      expect(error).toMatchObject({ kind: 'rule-violated' });
    });

    it('refuses to issue the same policy twice', () => {
      const { events: issued } = given(...history.active)
        .when(command.issuePolicy())
        .decided();
      given(...history.active, ...issued)
        .when(command.issuePolicy())
        .thenRefuses('DEPLOYMENT.POLICY_EXISTS');
    });
  });

  // ---- the approved scope ----------------------------------------------------------------------

  describe('the approved scope', () => {
    const changed = (o: Record<string, unknown> = {}) => ({
      name: 'deployment.scope-changed' as const,
      occurredAt: T.scopeChanged,
      data: {
        deploymentId,
        employerId,
        scope: narrowed,
        reviewDate: '2025-07-01',
        reason: 'South ward first, until the first review.',
        effectiveAt: T.scopeChanged,
        actor: approver,
        ...o,
      },
    });
    const reviewed = (nextReviewDate: string) => ({
      name: 'deployment.reviewed' as const,
      occurredAt: T.reviewed,
      data: { deploymentId, employerId, summary: 'Review.', nextReviewDate, effectiveAt: T.reviewed, actor: approver },
    });
    const errorsOf = (error: { context: Readonly<Record<string, unknown>> }) =>
      (error.context['errors'] as Array<{ pointer: string; rule: string }>).map((e) => [e.pointer, e.rule]);

    describe('ApproveDeployment', () => {
      it('records the scope in the approval and the deployment', () => {
        const { state } = given(...history.requested)
          .when(command.approve())
          .then([event.approved]);
        expect(state).toMatchObject({ status: 'approved', scope });
      });

      it('refuses sites, services and roles that were not requested, pointing at each', () => {
        const error = given(...history.requested)
          .when(
            command.approve({
              scope: { ...scope, sites: ['north-ward', 'maternity'], services: ['Paediatrics'], roles: ['staff-nurse', 'porter'] },
            }),
          )
          .thenRefuses('DEPLOYMENT.SCOPE_INVALID');
        expect(error).toMatchObject({ kind: 'rule-violated', context: { deploymentId, parts: ['sites', 'services', 'roles'] } });
        expect(errorsOf(error)).toEqual([
          ['/scope/sites/1', 'requested-site'],
          ['/scope/services/0', 'requested-service'],
          ['/scope/roles/1', 'requested-role'],
        ]);
        expect(error.detail).toContain(
          '/scope/sites/1 (maternity) is not among the sites the deployment was requested for (north-ward, south-ward)',
        );
      });

      it('accepts any services when the request named none', () => {
        const request = { ...event.requested, data: { ...event.requested.data, setting: { ...setting, services: [] } } };
        given(request)
          .when(command.approve({ scope: { ...scope, services: ['Acute medicine', 'Respiratory'] } }))
          .decided();
      });

      it("refuses age bands outside the version's intended population and a contraindication left unexcluded", () => {
        const error = given(...history.requested)
          .when(command.approve({ scope: { ...scope, population: { ageBands: ['16-17', '18-39'], excludedContraindicationCodes: [] } } }))
          .thenRefuses('DEPLOYMENT.SCOPE_INVALID');
        expect(error.context).toMatchObject({ parts: ['population'] });
        expect(errorsOf(error)).toEqual([
          ['/scope/population/ageBands/0', 'intended-population'],
          ['/scope/population/excludedContraindicationCodes', 'version-contraindication'],
        ]);
        expect(error.detail).toContain('must include acme:under-18, a contraindication of the version ("Patients under 18")');
      });

      it('does not check the population of a version released before coded contraindications (v1)', () => {
        const uncoded = { version: { ...released, population: null }, notices: [] };
        given(...history.requested)
          .when(
            command.approve({
              catalogue: uncoded,
              scope: { ...scope, population: { ageBands: ['5-11'], excludedContraindicationCodes: [] } },
            } as Partial<DeploymentCommand>),
          )
          .decided();
      });
    });

    describe('ActivateDeployment', () => {
      it('refuses a requested site that the scope does not include, pointing at it', () => {
        const error = given(...history.approved, changed())
          .when(command.activate({ sites: ['south-ward', 'north-ward'] }))
          .thenRefuses('DEPLOYMENT.OUTSIDE_APPROVED_SCOPE');
        expect(error).toMatchObject({ kind: 'rule-violated', context: { command: 'ActivateDeployment', parts: ['sites'] } });
        expect(errorsOf(error)).toEqual([['/sites/1', 'approved-site']]);
        expect(error.detail).toContain('/sites/1 (north-ward) is not among the approved sites (south-ward)');
        expect(error.detail).toContain('scope change');
      });

      it('refuses to take effect on or after the review date, and allows it once a review moved the date', () => {
        const late = command.activate({ effectiveAt: '2026-01-11T08:00:00.000Z' });
        const error = given(...history.approved)
          .when(late)
          .thenRefuses('DEPLOYMENT.OUTSIDE_APPROVED_SCOPE');
        expect(errorsOf(error)).toEqual([['/effectiveAt', 'before-review-date']]);
        expect(error.detail).toContain('renewed review');
        given(...history.approved, reviewed('2027-01-11'))
          .when(late)
          .decided();
      });

      it('is allowed inside the scope after a scope change', () => {
        given(...history.approved, changed())
          .when(command.activate({ sites: ['south-ward'] }))
          .decided();
      });
    });

    describe('ReinstateDeployment', () => {
      it('refuses when a site it was active at has left the scope, until a scope change brings it back', () => {
        const error = given(...history.suspended, changed())
          .when(command.reinstate())
          .thenRefuses('DEPLOYMENT.OUTSIDE_APPROVED_SCOPE');
        expect(error.context).toMatchObject({ command: 'ReinstateDeployment', parts: ['sites'] });
        expect(errorsOf(error)).toEqual([['', 'approved-site']]);
        expect(error.detail).toContain('the deployment was active at north-ward, which is not among the approved sites (south-ward)');
        given(...history.suspended, changed(), changed({ scope: { ...narrowed, sites: ['north-ward', 'south-ward'] } }))
          .when(command.reinstate())
          .decided();
      });

      it('refuses to take effect on or after the review date', () => {
        const error = given(...history.suspended)
          .when(command.reinstate({ effectiveAt: '2026-02-01T00:00:00.000Z' }))
          .thenRefuses('DEPLOYMENT.OUTSIDE_APPROVED_SCOPE');
        expect(errorsOf(error)).toEqual([['/effectiveAt', 'before-review-date']]);
      });
    });

    describe('IssueUsagePolicy', () => {
      it('names every part it goes outside: sites, roles, a use not approved and a start after the review date', () => {
        const error = given(...history.active, changed())
          .when(
            command.issuePolicy({
              sites: ['south-ward', 'north-ward'],
              roles: ['registrar', 'staff-nurse'],
              use: 'mandatory',
              effectiveFrom: '2025-07-01T00:00:00.000Z',
            }),
          )
          .thenRefuses('DEPLOYMENT.OUTSIDE_APPROVED_SCOPE');
        // The changed scope allows mandatory use, so that part is not named; the approved one did not.
        expect(error.context).toMatchObject({ command: 'IssueUsagePolicy', parts: ['sites', 'roles', 'reviewDate'] });
        expect(errorsOf(error)).toEqual([
          ['/sites/1', 'approved-site'],
          ['/roles/0', 'approved-role'],
          ['/effectiveFrom', 'before-review-date'],
        ]);
      });

      it('refuses mandatory use where only advisory use was approved', () => {
        const error = given(...history.active)
          .when(command.issuePolicy({ use: 'mandatory' }))
          .thenRefuses('DEPLOYMENT.OUTSIDE_APPROVED_SCOPE');
        expect(error.context).toMatchObject({ parts: ['uses'] });
        expect(errorsOf(error)).toEqual([['/use', 'approved-use']]);
        expect(error.detail).toContain('/use (mandatory) is not an approved use (advisory)');
      });

      it('allows mandatory use once a scope change approves it', () => {
        given(...history.active, changed())
          .when(command.issuePolicy({ use: 'mandatory', sites: ['south-ward'] }))
          .decided();
      });

      it('allows a policy starting after the old review date once a review moved it', () => {
        const later = command.issuePolicy({ effectiveFrom: '2026-03-01T00:00:00.000Z' });
        given(...history.active)
          .when(later)
          .thenRefuses('DEPLOYMENT.OUTSIDE_APPROVED_SCOPE');
        given(...history.active, reviewed('2027-01-11'))
          .when(later)
          .decided();
      });
    });

    describe('ChangeDeploymentScope', () => {
      it.each(['approved', 'active', 'suspended'] as const)(
        'records who changed the scope of a deployment that is %s, why and from when, and the new review date',
        (status) => {
          const { state } = given(...history[status])
            .when(command.changeScope())
            .then([changed()]);
          expect(state).toMatchObject({ status, scope: narrowed, reviewDate: '2025-07-01' });
        },
      );

      it('refuses a scope beyond what was requested, pointing into the new scope', () => {
        const error = given(...history.active)
          .when(command.changeScope({ scope: { ...narrowed, sites: ['maternity'] } }))
          .thenRefuses('DEPLOYMENT.SCOPE_INVALID');
        expect(errorsOf(error)).toEqual([['/scope/sites/0', 'requested-site']]);
      });

      it("refuses a scope including the version's contraindicated population", () => {
        const error = given(...history.active)
          .when(command.changeScope({ scope: { ...narrowed, population: { ageBands: ['12-15'], excludedContraindicationCodes: [] } } }))
          .thenRefuses('DEPLOYMENT.SCOPE_INVALID');
        expect(error.context).toMatchObject({ parts: ['population'] });
      });

      it('refuses a review date that is not after the day the change takes effect', () => {
        const error = given(...history.active)
          .when(command.changeScope({ reviewDate: '2025-01-20' }))
          .thenRefuses('DEPLOYMENT.REVIEW_DATE_TOO_EARLY');
        expect(errorsOf(error)).toEqual([['/reviewDate', 'after-effective-date']]);
      });

      it('is allowed for a withdrawn version: narrowing its use is always possible', () => {
        given(...history.active)
          .when(command.changeScope({ catalogue: catalogue.withdrawn } as Partial<DeploymentCommand>))
          .decided();
      });

      it('gives a deployment approved before scopes (v1) a scope, which is checked from then on', () => {
        const v1 = [event.requested, event.approvedV1];
        given(...v1)
          .when(command.activate({ sites: ['north-ward'] }))
          .decided();
        const error = given(...v1, changed())
          .when(command.activate({ sites: ['north-ward'] }))
          .thenRefuses('DEPLOYMENT.OUTSIDE_APPROVED_SCOPE');
        expect(errorsOf(error)).toEqual([['/sites/0', 'approved-site']]);
      });
    });

    describe('ReviewDeployment', () => {
      it('records the review and moves the review date, so the approval does not lapse on the old one', () => {
        const { state } = given(...history.active)
          .when(command.review())
          .then(
            [reviewed('2027-01-11')].map((e) => ({ ...e, data: { ...e.data, summary: 'Six-month review: alert rates as expected.' } })),
          );
        expect(state).toMatchObject({ status: 'active', reviewDate: '2027-01-11', scope });
        given(...history.active, reviewed('2027-01-11'))
          .when(command.expire())
          .thenRefuses('DEPLOYMENT.NOT_YET_DUE');
      });

      it('refuses a next review date that is not after the day of the review', () => {
        const error = given(...history.active)
          .when(command.review({ nextReviewDate: '2025-12-01' }))
          .thenRefuses('DEPLOYMENT.REVIEW_DATE_TOO_EARLY');
        expect(errorsOf(error)).toEqual([['/nextReviewDate', 'after-effective-date']]);
      });
    });
  });

  // ---- refusals common to every command ------------------------------------------------------

  const onExisting: Array<[DeploymentCommandKind, () => DeploymentCommand]> = [
    ['ApproveDeployment', command.approve],
    ['RejectDeployment', command.reject],
    ['ActivateDeployment', command.activate],
    ['SuspendDeployment', command.suspend],
    ['ReinstateDeployment', command.reinstate],
    ['RevokeDeployment', command.revoke],
    ['ExpireDeployment', command.expire],
    ['IssueUsagePolicy', command.issuePolicy],
    ['ChangeDeploymentScope', command.changeScope],
    ['ReviewDeployment', command.review],
  ];

  describe('refusals', () => {
    it.each(onExisting)('%s on a deployment that does not exist is not found', (_kind, make) => {
      expect(given().when(make()).thenRefuses('DEPLOYMENT.NOT_FOUND')).toMatchObject({ kind: 'not-found' });
    });

    it.each(onExisting)('%s by another organisation is forbidden, whatever the state', (_kind, make) => {
      const cmd = { ...make(), actor: outsider } as DeploymentCommand;
      for (const status of Object.keys(history) as DeploymentStatus[]) {
        expect(
          given(...history[status])
            .when(cmd)
            .thenRefuses('DEPLOYMENT.NOT_OWNER'),
        ).toMatchObject({ kind: 'forbidden', context: { deploymentId } });
      }
    });

    // The state machine as the brief states it; every other pair must be refused.
    const reviewing: DeploymentCommandKind[] = ['ChangeDeploymentScope', 'ReviewDeployment'];
    const allowed: Record<DeploymentStatus, DeploymentCommandKind[]> = {
      requested: ['ApproveDeployment', 'RejectDeployment'],
      approved: ['ActivateDeployment', 'RevokeDeployment', 'ExpireDeployment', 'IssueUsagePolicy', ...reviewing],
      active: ['SuspendDeployment', 'RevokeDeployment', 'ExpireDeployment', 'IssueUsagePolicy', ...reviewing],
      suspended: ['ReinstateDeployment', 'RevokeDeployment', 'ExpireDeployment', 'IssueUsagePolicy', ...reviewing],
      rejected: [],
      revoked: [],
      expired: [],
    };
    const refused = (Object.keys(allowed) as DeploymentStatus[]).flatMap((status) =>
      onExisting.filter(([kind]) => !allowed[status].includes(kind)).map(([kind, make]) => [status, kind, make] as const),
    );

    it.each(refused)('from %s, %s is an invalid transition naming both', (status, kind, make) => {
      const error = given(...history[status])
        .when(make())
        .thenRefuses('DEPLOYMENT.INVALID_TRANSITION');
      expect(error).toMatchObject({ kind: 'conflict', context: { deploymentId, from: status, command: kind } });
      expect(error.detail).toContain(status);
      expect(error.detail).toContain(kind);
    });

    it.each((Object.keys(allowed) as DeploymentStatus[]).flatMap((status) => allowed[status].map((kind) => [status, kind] as const)))(
      'from %s, %s is allowed',
      (status, kind) => {
        const make = onExisting.find(([k]) => k === kind)![1];
        expect(
          given(...history[status])
            .when(make())
            .decided().events,
        ).toHaveLength(1);
      },
    );
  });
});
