import type { DemoInfo } from '../demo/index.js';

/** What `npm start` prints once the server listens. */
export function banner(url: string, demo: DemoInfo, database: string, sftpPort?: number): string {
  const v = demo.vendors;
  return [
    '',
    '  Comanda is running',
    '  ─────────────────────────────────────────────────────────────',
    `  API            ${url}/v2`,
    `  API reference  ${url}/docs   (OpenAPI: ${url}/openapi.json)`,
    `  Portal         ${url}/`,
    `  Health         ${url}/health/ready    Metrics: ${url}/metrics`,
    `  Database       ${database}`,
    '',
    `  Demo chain     ${demo.chain_id}`,
    `  Stores         ${v.direct} (Partner Picking, DIRECT_POS)   ${v.indirect} (Pelican, INDIRECT_POS)   ${v.test} (test store)`,
    `  Portal login   ${demo.admin.email} / ${demo.admin.password}   (staff: ${demo.staff.email} / ${demo.staff.password})`,
    `  API token      ${demo.token}`,
    `  Operator key   ${demo.operator_key}`,
    ...(demo.sftp ? [`  SFTP           sftp -P ${sftpPort ?? demo.sftp.port} ${demo.sftp.username}@${demo.sftp.host}   (password: ${demo.sftp.password})`] : []),
    '',
    '  Try it:',
    `  curl -H "Authorization: Bearer ${demo.token}" ${url}/v2/chains/${demo.chain_id}/vendors`,
    '',
  ].join('\n');
}
