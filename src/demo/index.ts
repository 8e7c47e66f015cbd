/** The demo domain's face: what other domains and the application use of it. */
export type { DemoInfo } from './demo-info.js';
export { backfillDemoHistory, demoTrafficFactory } from './demo-traffic.js';
export { BODY_EXAMPLES, ORDER_EXAMPLE, PARAMETER_EXAMPLES } from './demo.openapi-examples.js';
export { seedDemo } from './demo.seed.js';
