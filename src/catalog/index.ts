/** The catalog domain's face: what other domains and the application use of it. */
export { catalogJobRoutes } from './catalog-jobs.routes.js';
export { applyCatalogUpdates } from './catalog-update.js';
export { registerCatalogCommands } from './catalog.cli.js';
export { CATALOG_EXPORT_JOB, CATALOG_UPDATE_JOB, PRODUCT_CREATE_JOB, catalogExportHandler, catalogUpdateHandler, jobResultsUrl, productCreateHandler } from './catalog.jobs.js';
export { catalogPartnerRoutes } from './catalog.routes.js';
export { ProductCreateItem } from './catalog.schemas.js';
export { enqueueCatalogUpdate, enqueueExport, enqueueProductCreateFor, vendorCatalogPage } from './catalog.service.js';
export { listCategories } from './categories.repository.js';
export { findListingsForVendor, listVendorCatalog, listingPrices, listingsAfter, skusByBarcode } from './listings.repository.js';
export type { VendorListing } from './listings.repository.js';
export { checkProduct } from './product-input.js';
export type { ProductBody } from './product-input.js';
export { applyProductRows, chainHasProducts } from './products.repository.js';
