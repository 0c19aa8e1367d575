import { servicePort } from '@aal/contracts';
import { checkCosignatures, parseWitnessVerifierKey } from '@aal/ledger-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEMO_CONCERN_DUE_PERIODS,
  concernLines,
  incidentClockLines,
  oversightPath,
  playDemoScenario,
  waitForAccountability,
  oversightTable,
  waitForIncidentClock,
  waitForConcernAnswered,
  waitForOversight,
  type ServiceUrls,
} from './demo-scenario';
import { devTokens, keysDir } from './dev-token';

/** `npm run demo`: plays the scenario against the running stack and says where to look. */
async function main(): Promise<void> {
  const url = (service: Parameters<typeof servicePort>[0]) => `http://127.0.0.1:${servicePort(service)}`;
  const urls: ServiceUrls = {
    modelRegistry: url('model-registry'),
    deploymentApproval: url('deployment-approval'),
    usageEvents: url('usage-events'),
    concerns: url('concerns'),
    incidents: url('incidents'),
    ledger: url('ledger'),
  };
  process.stdout.write('\nPlaying the demo scenario through the public APIs:\n');
  const tokens = devTokens();
  const result = await playDemoScenario(urls, tokens, (m) => process.stdout.write(`  - ${m}\n`));
  const chain = await waitForAccountability(urls.ledger, result.outputs.overridden, tokens);
  const oversight = await waitForOversight(urls.ledger, result, tokens);
  const clock = await waitForIncidentClock(urls.ledger, result.incidentId, tokens);
  // A minute past the EU deadline, as nothing reported yet: what the ledger would then find.
  const overdue = await waitForIncidentClock(
    urls.ledger,
    result.incidentId,
    tokens,
    new Date(Date.parse(clock.deadlines.euAuthorityBy) + 60_000).toISOString(),
  );
  const concern = await waitForConcernAnswered(urls.ledger, result.concernId, tokens);
  const demoPeriods = Object.entries(DEMO_CONCERN_DUE_PERIODS)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  const witnessed = await waitForCosignedCheckpoint(urls.ledger);
  const outOfScope = (chain.findings as Array<{ code: string; title: string; statement: string; evidence: number[] }>).find(
    (f) => f.code === 'SCOPE.SITE_NOT_APPROVED',
  );
  const action = chain.actedOn.actions[0];
  const approval = chain.approvedAndDeployed.approval;
  process.stdout.write(`
The ledger holds the whole chain of output ${result.outputs.overridden} (as of ${chain.asOf}, known up to entry ${chain.knownAt.seq}):
  built by      ${chain.built.model?.vendorId} — ${chain.built.model?.name} ${chain.built.version?.version} (${chain.built.version?.statusAtOutputTime}) [entries ${[...(chain.built.model?.evidence ?? []), ...(chain.built.version?.evidence ?? [])].join(', ')}]
  approved by   ${approval?.approvedBy.personId} (${approval?.approvedBy.role}) [entry ${approval?.evidence.join(', ')}]; deployment ${chain.approvedAndDeployed.stateAtOutputTime.state} at the time
  instructed    ${chain.instructed.policiesInForce.map((p: any) => `${p.use} policy, human review ${p.humanReviewRequired ? 'required' : 'optional'}, min ${p.minimumReviewSeconds} s`).join('; ')}; ${chain.instructed.instructions.length} direct instruction(s); training on record: ${chain.instructed.training.map((t: any) => `${t.professionalId}=${t.trainedAtOutputTime ? 'yes' : 'no'}`).join(', ')}
  acted on by   ${action.professional.personId} (${action.professional.role}): ${action.action} after ${action.reviewDurationSeconds} s — "${action.rationale}"
  findings      ${(chain.findings as Array<{ code: string; evidence: number[] }>).map((f) => `${f.code} [entries ${f.evidence.join(', ')}]`).join('; ') || 'none'}

Approved for one ward, used on another (the chain of ${result.outputs.overridden}):
  ${outOfScope ? `${outOfScope.title} (${outOfScope.code}) [entries ${outOfScope.evidence.join(', ')}]\n    ${outOfScope.statement}` : 'no SCOPE.SITE_NOT_APPROVED finding (yet)'}
  in the web view: ${urls.ledger}/investigate — paste the investigator's token (npm run -s token -- investigator), open a case on incident ${result.incidentId}; its output's chain lists the finding, with the scope as approved

A busy month on ward 7A, ${result.month.from} to ${result.month.to} (GET ${urls.ledger}${oversightPath(result)}):
${oversightTable(oversight.buckets).replace(/^/gm, '  ')}
  what the ledger finds for the deployment over that month:
${oversight.findings.map((f) => `  - ${f.title} (${f.code})\n      ${f.statement}`).join('\n') || '  none'}
  in the web view (the deployment page, charts and findings):
    ${urls.ledger}/investigate#/deployments/${result.deploymentId}?from=${result.month.from}&to=${result.month.to}&bucket=week
    with the auditor's token (npm run -s token -- auditor), or as the investigator through the case on the incident

A serious incident and its reporting clock (GET ${urls.ledger}/incidents/${result.incidentId}/reporting-clock):
${incidentClockLines(clock)
  .map((l) => `  ${l}`)
  .join('\n')}
  a minute past the EU deadline with no report recorded, the ledger would find:
${overdue.findings.map((f: { code: string; statement: string }) => `  - ${f.code}\n      ${f.statement}`).join('\n') || '  none'}

A patient representative's concern${result.vendorAnsweredLate ? ', answered late by the vendor' : ''} (GET ${urls.ledger}/concerns/${result.concernId}/accountability):
${concernLines(concern)
  .map((l) => `  ${l}`)
  .join('\n')}
  ${
    result.vendorAnsweredLate
      ? `(the concerns service here runs with ${demoPeriods}, so that an answer can be late within one run; the defaults, in days, are in docs/concerns.md)`
      : `(no answer is late: this concerns service keeps periods longer than the demo waits for; scripts/stack.sh runs it with ${demoPeriods})`
  }

The checkpoint the regulator's witness cosigned (GET ${urls.ledger}/checkpoint/witnessed):
${witnessed.replace(/^/gm, '  ')}
Verify the log trusting only the ledger's key and the regulator's cosignature:
  LEDGER_TOKEN="$(npm run -s token -- regulator)" npx ledger-verify --url ${urls.ledger} --key "$(cat .keys/ledger-verifier-key.txt)" --witness-key "$(cat .keys/regulator-witness-verifier-key.txt)" --witnesses-required 1

Where to look:
  referral         incident ${result.incidentId} referred to the investigators (mandate ${result.mandateId}); search it in the web view
  web view         ${urls.ledger}/investigate   (paste a token from: npm run -s token -- investigator)
  concern          ${urls.ledger}/concerns/${result.concernId}/accountability   (auditor token; ?asOf= an earlier time shows it before the answers)
  its receipt      ${urls.concerns}${result.receiptPath}   (no token: whoever holds the code sees its status)
  incident clock   ${urls.ledger}/incidents/${result.incidentId}/reporting-clock   (auditor token; ?asOf= after a deadline shows its finding)
  oversight        ${urls.ledger}${oversightPath(result)}   (as the auditor or the digital lead)
  accountability   ${urls.ledger}/outputs/${result.outputs.overridden}/accountability
                   ${urls.ledger}/outputs/${result.outputs.accepted}/accountability
                   ${urls.ledger}/outputs/${result.outputs.quickAccept}/accountability
  the raw log      ${urls.ledger}/entries   (needs the all-organisations grant: npm run token -- regulator)
  tokens           npm run token -- <user>   users: vendorLead, wardManager, safetyOfficer, digitalLead, eprSystem, investigator, auditor, patientExperience, vendorSafety, dataController, regulator
  curl             curl -H "Authorization: Bearer $(npm run -s token -- auditor)" ${urls.ledger}/outputs/${result.outputs.overridden}/accountability
  API docs         ${urls.modelRegistry}/docs  ${urls.deploymentApproval}/docs  ${urls.usageEvents}/docs  ${urls.concerns}/docs  ${urls.incidents}/docs  ${urls.ledger}/docs
  service logs     .run/logs/*.log          stop everything: npm run stack:down
`);
}

/**
 * The newest checkpoint carrying a valid cosignature by the regulator's witness (WITNESS_INTERVAL_MS
 * is 5 s in the stack); a note saying why when there is none within 30 s.
 */
async function waitForCosignedCheckpoint(ledgerUrl: string): Promise<string> {
  const key = parseWitnessVerifierKey(readFileSync(join(keysDir(), 'regulator-witness-verifier-key.txt'), 'utf8').trim());
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${ledgerUrl}/checkpoint/witnessed`);
    if (res.ok) {
      const note = await res.text();
      if (checkCosignatures(note, [key]).valid.length > 0) return note;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return `(no checkpoint cosigned by ${key.name} yet: see .run/logs/regulator-witness.log and ${ledgerUrl}/health/ready)\n`;
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${(err as Error).message}\n`);
  process.exit(1);
});
