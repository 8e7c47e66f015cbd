/** The portal domain's face: the Partner Portal front end (the SPA); its JSON API routes live in their domains. */
export { registerWebApp } from './web-app.js';
