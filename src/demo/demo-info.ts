import type { Vendor } from '../vendors/index.js';

/** What the demo seed made, for the banner, the demo page and the other seeders. */
export interface DemoInfo {
  chain_id: string;
  vendors: { direct: string; indirect: string; test: string; all: Array<Pick<Vendor, 'code' | 'external_id' | 'name' | 'integration_type' | 'is_test'>> };
  admin: { email: string; password: string };
  staff: { email: string; password: string };
  token: string;
  operator_key: string;
  /** Filled by the SFTP seeder. */
  sftp?: { username: string; host: string; port: number; password: string };
  created: boolean;
}
