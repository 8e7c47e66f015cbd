/** The simulator domain's face: what other domains and the application use of it. */
export { logisticsRiderFactory } from './logistics-rider.js';
export { pelicanPick, pelicanPickerFactory } from './pelican-picker.js';
export { registerSimulatorCommands } from './simulator.cli.js';
export { simulatorsEnabled } from './simulators-enabled.js';
export { parseDuration, randomIntakeBody } from './traffic.js';
