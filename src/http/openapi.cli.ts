import fs from 'node:fs';
import type { Command } from 'commander';
import { note } from '../platform/cli-output.js';
import { exportOpenApi } from './openapi-export.js';

/** `comanda openapi [--platform] [--server <url>] [--out <file>]`: the OpenAPI document, no server needed. */
export function registerOpenApiCommands(program: Command): void {
  program
    .command('openapi')
    .description('print the OpenAPI 3.1 document of the partner API (or, with --platform, the operator API)')
    .option('--platform', 'the operator API (/platform/v1) instead of the partner API (/v2)')
    .option('--server <url>', 'the server URL written into the document', process.env.PUBLIC_URL || 'http://localhost:3000')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (o: { platform?: boolean; server: string; out?: string }) => {
      const doc = await exportOpenApi(o.platform ? 'platform' : 'partner', o.server);
      const text = `${JSON.stringify(doc, null, 2)}\n`;
      if (!o.out) return void process.stdout.write(text);
      fs.writeFileSync(o.out, text);
      note(`wrote ${o.out}`);
    });
}
