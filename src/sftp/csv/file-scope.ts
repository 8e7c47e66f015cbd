import { CsvFileError, type CsvHeader } from './csv-reader.js';

/** A vendor as files name it: by platform code or by the partner's external id. */
export interface DirectoryVendor {
  id: string;
  code: string;
  external_id: string | null;
}

/** The chain's vendors, looked up by platform code (wins) or external id. */
export class VendorDirectory {
  private readonly byCode = new Map<string, DirectoryVendor>();
  private readonly byExternal = new Map<string, DirectoryVendor>();
  /** Resolved vendors/exclude cells (see rows.ts); a thrown problem is not cached. */
  readonly memo = new Map<string, DirectoryVendor[]>();

  constructor(readonly vendors: readonly DirectoryVendor[]) {
    for (const v of vendors) {
      this.byCode.set(v.code, v);
      if (v.external_id) this.byExternal.set(v.external_id, v);
    }
  }

  resolve(ref: string): DirectoryVendor | undefined {
    return this.byCode.get(ref) ?? this.byExternal.get(ref);
  }
}

/** Which vendors a file's rows apply to, decided by the file name (and, if ambiguous, the header). */
export type FileScope = { kind: 'single'; prefix: string; vendor: DirectoryVendor } | { kind: 'multi'; prefix: string };

const NAME = /^([A-Za-z0-9][A-Za-z0-9 ._()+-]*)\.csv$/i;

/**
 * File naming rules (partner-api.md §7): `<prefix>_<vendorId>.csv` → that one vendor;
 * `<prefix>.csv` → multi-vendor, rows carry `vendors` (and optionally `exclude`). Prefixes may contain
 * underscores themselves, so `catalog_update.csv` with a `vendors` column is a multi-vendor file, while
 * the same name without that column must end in a known vendor.
 */
export function fileScope(fileName: string, header: Pick<CsvHeader, 'columns'>, vendors: VendorDirectory): FileScope {
  const m = NAME.exec(fileName);
  if (!m) throw new CsvFileError('INVALID_FILE_NAME', `"${fileName}" is not a valid file name: use <prefix>_<vendorId>.csv for one store or <prefix>.csv with a vendors column`);
  const stem = m[1]!;
  const hasVendorsColumn = header.columns.includes('vendors');
  const cut = stem.lastIndexOf('_');
  if (cut > 0 && cut < stem.length - 1) {
    const vendor = vendors.resolve(stem.slice(cut + 1));
    if (vendor && hasVendorsColumn) {
      throw new CsvFileError('CONFLICTING_SCOPE', `"${fileName}" names store ${vendor.code} but also has a vendors column: use <prefix>.csv for multi-vendor files`);
    }
    if (vendor) return { kind: 'single', prefix: stem.slice(0, cut), vendor };
    if (!hasVendorsColumn) {
      throw new CsvFileError('VENDOR_NOT_FOUND', `No store "${stem.slice(cut + 1)}" in this chain (from the file name "${fileName}"); name the file <prefix>_<store code or external id>.csv, or add a vendors column`);
    }
  }
  if (!hasVendorsColumn) {
    throw new CsvFileError('MISSING_COLUMNS', `"${fileName}" has no store in its name, so it needs a vendors column (store codes or external ids, comma-separated, or all)`);
  }
  return { kind: 'multi', prefix: stem };
}
