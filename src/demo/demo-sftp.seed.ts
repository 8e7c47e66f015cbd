import type { AppContext } from '../platform/context.js';
import type { DemoInfo } from './demo-info.js';
import { createSftpLogin, findSftpUserByChain, getSftpLogin } from '../sftp/index.js';

export const DEMO_SFTP_PASSWORD = 'comanda-demo-sftp';

/** The demo chain's SFTP login (password login with a known demo password), created once. */
export async function seedDemoSftp(ctx: AppContext, info: DemoInfo): Promise<void> {
  if (!(await findSftpUserByChain(ctx.db, info.chain_id))) {
    await createSftpLogin(ctx, info.chain_id, { password: DEMO_SFTP_PASSWORD }, 'system:demo');
  }
  const login = await getSftpLogin(ctx, info.chain_id);
  info.sftp = { username: login.username, host: login.host, port: login.port, password: DEMO_SFTP_PASSWORD };
}
