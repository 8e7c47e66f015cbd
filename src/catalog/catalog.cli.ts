import fs from 'node:fs';
import type { Command } from 'commander';
import type { WithContext } from '../platform/cli-output.js';
import { note, printJson } from '../platform/cli-output.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { csvLine } from '../platform/csv/csv-writer.js';
import { resolveVendor, toVendor, type Vendor } from '../vendors/index.js';
import { importCatalogCsv } from './catalog-import.js';
import { CATALOG_RESULT_COLUMNS } from './catalog.types.js';

/** A vendor by platform code (unique platform-wide) or, with --chain, by external id too. */
async function findVendor(ctx: AppContext, ref: string, chainId?: string): Promise<Vendor> {
  if (chainId) {
    const v = await resolveVendor(ctx.db, chainId, ref);
    if (!v) throw new AppError('VENDOR_NOT_FOUND', `no vendor "${ref}" in chain ${chainId}`);
    return v;
  }
  const row = await ctx.db.selectFrom('vendors').selectAll().where('code', '=', ref).executeTakeFirst();
  if (!row) throw new AppError('VENDOR_NOT_FOUND', `no vendor with platform code "${ref}" (give --chain to use an external id)`);
  return toVendor(row);
}

/** `comanda catalog …`: bulk loads for operators and demos. */
export function registerCatalogCommands(program: Command, withContext: WithContext): void {
  const catalog = program.command('catalog').description('catalog (assortment) tools');
  catalog
    .command('import')
    .description('stream a catalog CSV into a vendor: creates/updates products and the vendor\'s listings (columns: sku,barcode,title,description,category,brand,image_url,is_sold_by_weight,base_weight,average_weight_per_piece,vat_percent,price,active,sales_buffer,maximum_sales_quantity; sku, title, price required)')
    .argument('<file>', 'CSV file (`,` or `;`, UTF-8, optional BOM); "-" reads stdin')
    .requiredOption('--vendor <id>', 'platform code (or external id with --chain)')
    .option('--chain <id>', 'chain id, to name the vendor by external id')
    .option('--errors <file>', 'write every refused row (row,sku,barcode,result,message) to this CSV')
    .action(async (file: string, o: { vendor: string; chain?: string; errors?: string }) =>
      withContext(async (ctx) => {
        const vendor = await findVendor(ctx, o.vendor, o.chain);
        if (file !== '-' && !fs.existsSync(file)) throw new AppError('VALIDATION_FAILED', `file not found: ${file}`);
        const input = file === '-' ? process.stdin : fs.createReadStream(file);
        const errorsOut = o.errors ? fs.createWriteStream(o.errors) : undefined;
        errorsOut?.write(csvLine(CATALOG_RESULT_COLUMNS));
        let shown = 0;
        const summary = await importCatalogCsv(ctx, vendor, input, {
          onError: (r) => {
            errorsOut?.write(csvLine(CATALOG_RESULT_COLUMNS.map((c) => r[c])));
            if (shown++ < 20) note(`row ${r.row} (${r.sku || r.barcode}): ${r.result} ${r.message ?? ''}`);
          },
        });
        if (errorsOut) await new Promise((resolve) => errorsOut.end(resolve));
        if (summary.error_rows > 20) note(`… ${summary.error_rows - 20} more refused rows${o.errors ? ` (all in ${o.errors})` : ' (use --errors FILE to get them all)'}`);
        printJson({ vendor: vendor.code, ...summary });
      }),
    );
}
