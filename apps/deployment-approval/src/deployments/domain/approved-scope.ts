import type { DeploymentScope } from '@aal/contracts';
import type { Deployment, VersionCatalogueFacts } from './deployment.types';

/** The parts of a scope a refusal can name (`DeploymentScope`'s members, and the review date it holds until). */
export type ScopePart = 'sites' | 'services' | 'roles' | 'population' | 'uses' | 'reviewDate';

/** One way a request breaks a scope rule: the part, a JSON Pointer into the request body, and a sentence saying why. */
export interface ScopeIssue {
  readonly part: ScopePart;
  readonly pointer: string;
  readonly rule: string;
  readonly detail: string;
}

type Population = NonNullable<VersionCatalogueFacts['version']>['population'];

const list = (items: readonly string[]) => (items.length === 0 ? 'none' : items.join(', '));

/** The UTC calendar date of an RFC 3339 time: review dates are calendar dates, read in UTC as every stored time is. */
export function utcDate(time: string): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** `given[i]` not among `allowed`, each as an issue at `<pointer>/i`. */
function notAmong(
  part: ScopePart,
  pointer: string,
  given: readonly string[],
  allowed: readonly string[],
  rule: string,
  what: string,
): ScopeIssue[] {
  return given.flatMap((item, i) =>
    allowed.includes(item)
      ? []
      : [{ part, pointer: `${pointer}/${i}`, rule, detail: `${pointer}/${i} (${item}) is not among ${what} (${list(allowed)})` }],
  );
}

/**
 * What is wrong with a scope about to be approved or changed (its body pointer `at`, e.g. `/scope`):
 * its sites, services and roles must be among those the deployment was requested for (services
 * only when the request named any), and, when the catalogue has the version's coded facts
 * (model.version.released v2), its age bands must lie within the version's intended population and
 * it must exclude every coded contraindication of the version. A v1 release codes nothing, so its
 * population is not checked. Empty when the scope is acceptable.
 */
export function scopeIssues(scope: DeploymentScope, deployment: Deployment, population: Population, at = '/scope'): ScopeIssue[] {
  const { setting } = deployment;
  const issues = [
    ...notAmong('sites', `${at}/sites`, scope.sites, setting.sites, 'requested-site', 'the sites the deployment was requested for'),
    ...(setting.services.length > 0
      ? notAmong(
          'services',
          `${at}/services`,
          scope.services,
          setting.services,
          'requested-service',
          'the services the deployment was requested for',
        )
      : []),
    ...notAmong('roles', `${at}/roles`, scope.roles, setting.roles, 'requested-role', 'the roles the deployment was requested for'),
  ];
  if (population === null) return issues;
  const excluded = scope.population.excludedContraindicationCodes;
  return [
    ...issues,
    ...notAmong(
      'population',
      `${at}/population/ageBands`,
      scope.population.ageBands,
      population.ageBands,
      'intended-population',
      "the age bands of the version's intended population",
    ),
    ...population.contraindications
      .filter((c) => !excluded.includes(c.code))
      .map((c) => ({
        part: 'population' as const,
        pointer: `${at}/population/excludedContraindicationCodes`,
        rule: 'version-contraindication',
        detail: `${at}/population/excludedContraindicationCodes must include ${c.code}, a contraindication of the version ("${c.text}")`,
      })),
  ];
}

/** A review date must come after the day it is set on, or the approval would lapse as it is given. */
export function reviewDateIssues(reviewDate: string, effectiveAt: string, pointer: string): ScopeIssue[] {
  const day = utcDate(effectiveAt);
  return reviewDate > day
    ? []
    : [
        {
          part: 'reviewDate',
          pointer,
          rule: 'after-effective-date',
          detail: `${pointer} (${reviewDate}) must be after the day it takes effect (${day})`,
        },
      ];
}

/**
 * Reinstatement names no sites: it puts the deployment back where it was active. Those sites are
 * no request field, so each issue points at the whole body (`""`) and names the site.
 */
export function activeSitesOutside(activeSites: readonly string[], scope: DeploymentScope): ScopeIssue[] {
  return activeSites
    .filter((site) => !scope.sites.includes(site))
    .map((site) => ({
      part: 'sites' as const,
      pointer: '',
      rule: 'approved-site',
      detail: `the deployment was active at ${site}, which is not among the approved sites (${list(scope.sites)})`,
    }));
}

/** Sites (body pointer `pointer`) outside the approved scope's sites. */
export function sitesOutside(sites: readonly string[], scope: DeploymentScope, pointer = '/sites'): ScopeIssue[] {
  return notAmong('sites', pointer, sites, scope.sites, 'approved-site', 'the approved sites');
}

export function rolesOutside(roles: readonly string[], scope: DeploymentScope, pointer = '/roles'): ScopeIssue[] {
  return notAmong('roles', pointer, roles, scope.roles, 'approved-role', 'the approved roles');
}

export function useOutside(use: DeploymentScope['uses'][number], scope: DeploymentScope, pointer = '/use'): ScopeIssue[] {
  return scope.uses.includes(use)
    ? []
    : [{ part: 'uses', pointer, rule: 'approved-use', detail: `${pointer} (${use}) is not an approved use (${list(scope.uses)})` }];
}

/** A time (body pointer `pointer`) on or after the review date, when the approval no longer holds without a renewed review. */
export function onOrAfterReviewDate(time: string, reviewDate: string, pointer: string): ScopeIssue[] {
  const day = utcDate(time);
  return day < reviewDate
    ? []
    : [
        {
          part: 'reviewDate',
          pointer,
          rule: 'before-review-date',
          detail: `${pointer} (${day}) is on or after the approval's review date ${reviewDate}; the approval holds until then unless reviewed again`,
        },
      ];
}

/** The parts named by `issues`, each once, in scope order. */
export function partsOf(issues: readonly ScopeIssue[]): ScopePart[] {
  const order: readonly ScopePart[] = ['sites', 'services', 'roles', 'population', 'uses', 'reviewDate'];
  return order.filter((part) => issues.some((i) => i.part === part));
}
