import fs from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { WithContext } from '../platform/cli-output.js';
import { note, printJson, printLine } from '../platform/cli-output.js';
import { parseDuration } from '../simulator/index.js';
import { certify, type CertificationReport } from './certify.service.js';
import { reportHtml } from './report-html.js';

function duration(v: string): number {
  try {
    return parseDuration(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** One line per check, for a terminal. */
export function reportText(r: CertificationReport): string {
  const lines = r.checks.map((c) => `${c.pass ? 'PASS' : 'FAIL'}  ${c.id.padEnd(22)} ${c.title.en}${c.pass ? '' : `\n      ${c.evidence.join('\n      ')}`}`);
  lines.push('', `${r.status}: ${r.summary.passed} passed, ${r.summary.failed} failed${r.summary.failed ? ` (${r.summary.failed_checks.join(', ')})` : ''} — certification ${r.id}`);
  return lines.join('\n');
}

/**
 * `comanda certify --chain <id> --vendor <test store>`: the homologation meeting, self-serve. Needs
 * a running server (worker role) to deliver the test orders' webhooks; exits 1 when a check fails.
 */
export function registerCertifyCommands(program: Command, withContext: WithContext): void {
  program
    .command('certify')
    .description("certify a partner integration: test orders for every mandatory scenario on a test store, webhook and catalog checks; report stored (exit 1 on failure)")
    .requiredOption('--chain <id>', 'chain id')
    .requiredOption('--vendor <store>', 'the test store: platform code or external id')
    .option('--timeout <duration>', 'how long to wait for the integration: 90s, 5m', duration, 120_000)
    .option('--endpoint <id>', 'the webhook endpoint to check (default: the first enabled one)')
    .option('--catalog-window <duration>', 'a catalog update job counts when created this long before the run at most', duration, 3_600_000)
    .option('--json', 'print the report as JSON')
    .option('--html <file>', 'also write the printable HTML report to this file')
    .action(async (o: { chain: string; vendor: string; timeout: number; endpoint?: string; catalogWindow: number; json?: boolean; html?: string }) =>
      withContext(async (ctx) => {
        note(`certifying ${o.vendor}: waiting up to ${Math.round(o.timeout / 1000)} s for the integration …`);
        const report = await certify(ctx, o.chain, o.vendor, 'cli', { timeoutMs: o.timeout, endpointId: o.endpoint, catalogWindowMs: o.catalogWindow });
        if (o.html) {
          fs.writeFileSync(o.html, reportHtml(report));
          note(`report: ${o.html}`);
        }
        if (o.json) printJson(report);
        else printLine(reportText(report));
        if (report.status !== 'PASSED') process.exitCode = 1;
      }),
    );
}
