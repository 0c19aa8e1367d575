import {
  addDays,
  addHours,
  INCIDENT_CLASSIFICATIONS,
  REPORTING_RULE_SETS,
  reportingDeadlines,
  reportingRulesAt,
  type DeadlineQuestion,
  type ReportingRuleSet,
} from './reporting-rules';

const question = (overrides: Partial<DeadlineQuestion> = {}): DeadlineQuestion => ({
  classification: 'serious-harm-to-health',
  publicHealthThreat: false,
  deployerAwareAt: '2026-11-02T09:00:00.000Z',
  informProviderWithinHours: 24,
  deployerIsProvider: false,
  providerAwareAt: '2026-11-02T15:30:00.000Z',
  medicalDevice: true,
  ...overrides,
});

describe('reporting rules', () => {
  it('has one rule set per id, in effective order, each with a period for every classification', () => {
    const ids = REPORTING_RULE_SETS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const starts = REPORTING_RULE_SETS.map((r) => Date.parse(r.effectiveFrom));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    for (const rules of REPORTING_RULE_SETS) expect(Object.keys(rules.euAiActDays).sort()).toEqual([...INCIDENT_CLASSIFICATIONS].sort());
  });

  it.each([
    ['death', 10, 10],
    ['serious-harm-to-health', 15, 10],
    ['widespread-infringement', 2, 15],
    ['critical-infrastructure-disruption', 2, 15],
  ] as const)('given a %s, then the EU AI Act period is %i days and the MHRA period %i days', (classification, eu, mhra) => {
    const d = reportingDeadlines(question({ classification }));
    expect(d).toMatchObject({ euAiActDays: eu, mhraDays: mhra });
    expect(d.euAuthorityBy).toBe(addDays('2026-11-02T15:30:00.000Z', eu));
    expect(d.mhraBy).toBe(addDays('2026-11-02T15:30:00.000Z', mhra));
  });

  it('given another serious incident (Art. 3(49)(c) or (d)), then the EU AI Act period is the general 15 days and no MHRA report is due unless it threatens public health', () => {
    const d = reportingDeadlines(question({ classification: 'other-serious-incident' }));
    expect(d).toMatchObject({ euAiActDays: 15, euAuthorityBy: addDays('2026-11-02T15:30:00.000Z', 15), mhraBy: null, mhraCategory: null });
    expect(d.informProviderBy).toBe('2026-11-03T09:00:00.000Z');
    expect(reportingDeadlines(question({ classification: 'other-serious-incident', publicHealthThreat: true }))).toMatchObject({
      mhraCategory: 'serious-public-health-threat',
      mhraDays: 2,
    });
  });

  it('given a serious public health threat, then the MHRA period is 2 days whatever the classification', () => {
    expect(reportingDeadlines(question({ classification: 'death', publicHealthThreat: true }))).toMatchObject({
      mhraCategory: 'serious-public-health-threat',
      mhraDays: 2,
      mhraBy: '2026-11-04T15:30:00.000Z',
      euAiActDays: 10,
    });
  });

  it('given an incident that is not serious, then nothing is due', () => {
    expect(reportingDeadlines(question({ classification: 'not-serious' }))).toMatchObject({
      informProviderBy: null,
      euAuthorityBy: null,
      mhraBy: null,
      euAiActDays: null,
      mhraCategory: null,
    });
  });

  it('given a version that is not a medical device, then no MHRA report is due', () => {
    expect(reportingDeadlines(question({ medicalDevice: false }))).toMatchObject({ mhraBy: null, mhraCategory: null, euAiActDays: 15 });
  });

  it('given a provider not yet aware, then its clocks have not started but the deployer’s has', () => {
    expect(reportingDeadlines(question({ providerAwareAt: null }))).toMatchObject({
      informProviderBy: '2026-11-03T09:00:00.000Z',
      euAuthorityBy: null,
      mhraBy: null,
    });
  });

  it('given a deployer that is itself the provider, then it has no one to inform', () => {
    expect(reportingDeadlines(question({ deployerIsProvider: true })).informProviderBy).toBeNull();
  });

  it('uses the deployer’s configured hours for informing the provider', () => {
    expect(reportingDeadlines(question({ informProviderWithinHours: 0 })).informProviderBy).toBe('2026-11-02T09:00:00.000Z');
    expect(reportingDeadlines(question({ informProviderWithinHours: 72 })).informProviderBy).toBe('2026-11-05T09:00:00.000Z');
  });

  describe('date arithmetic, in UTC', () => {
    it.each([
      ['across a month end', '2026-10-25T10:00:00.000Z', 10, '2026-11-04T10:00:00.000Z'],
      ['across a year end', '2026-12-25T23:59:59.999Z', 10, '2027-01-04T23:59:59.999Z'],
      ['across 29 February of a leap year', '2028-02-20T00:00:00.000Z', 10, '2028-03-01T00:00:00.000Z'],
      ['across the end of February of a common year', '2027-02-20T00:00:00.000Z', 10, '2027-03-02T00:00:00.000Z'],
      ['two days from just before midnight', '2026-11-30T23:30:00.000Z', 2, '2026-12-02T23:30:00.000Z'],
      // 29 March 2026 and 25 October 2026 are the UK clock changes: a UTC period ignores them.
      ['across the spring clock change', '2026-03-28T12:00:00.000Z', 2, '2026-03-30T12:00:00.000Z'],
      ['across the autumn clock change', '2026-10-24T12:00:00.000Z', 15, '2026-11-08T12:00:00.000Z'],
      ['from a time with an offset, answered in UTC', '2026-11-02T01:00:00+02:00', 15, '2026-11-16T23:00:00.000Z'],
    ])('adds whole days %s', (_what, from, days, expected) => {
      expect(addDays(from, days)).toBe(expected);
    });

    it('adds hours across a day and a month boundary', () => {
      expect(addHours('2026-10-31T18:00:00.000Z', 24)).toBe('2026-11-01T18:00:00.000Z');
      expect(addHours('2026-11-02T01:00:00+01:00', 24)).toBe('2026-11-03T00:00:00.000Z');
    });
  });

  describe('versions', () => {
    const later: ReportingRuleSet = {
      ...REPORTING_RULE_SETS[0]!,
      id: 'later',
      effectiveFrom: '2027-06-01T00:00:00.000Z',
      euAiActDays: { ...REPORTING_RULE_SETS[0]!.euAiActDays, 'serious-harm-to-health': 7 },
    };
    const sets = [REPORTING_RULE_SETS[0]!, later];

    it('judges a clock by the rule set in force when the deployer became aware, even after a newer one takes effect', () => {
      expect(reportingRulesAt('2027-05-31T23:59:59.999Z', sets).id).toBe(REPORTING_RULE_SETS[0]!.id);
      expect(reportingRulesAt('2027-06-01T00:00:00.000Z', sets).id).toBe('later');
      expect(
        reportingDeadlines(question({ deployerAwareAt: '2027-06-02T00:00:00.000Z', providerAwareAt: '2027-06-02T00:00:00.000Z' }), sets),
      ).toMatchObject({
        rules: 'later',
        euAiActDays: 7,
      });
    });

    it('judges a clock that started before the first rule set by the first', () => {
      expect(reportingRulesAt('2025-01-01T00:00:00.000Z', sets).id).toBe(REPORTING_RULE_SETS[0]!.id);
    });
  });
});
