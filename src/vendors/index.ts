/** The vendors domain's face: what other domains and the application use of it. */
export { chainVendor, partnerVendor } from './partner-vendor.js';
export { vendorPortalRoutes } from './routes.portal.js';
export { findVendorById, listVendors, resolveVendor, toVendor } from './vendors.repository.js';
export { vendorPartnerRoutes } from './vendors.routes.js';
export { CreateVendorBody, UpdateVendorBody, Vendor } from './vendors.schemas.js';
export type { IntegrationType } from './vendors.schemas.js';
export { createVendor, updateVendor } from './vendors.service.js';
