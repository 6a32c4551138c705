export * from './types.js';
export * from './define-connector.js';
export { checkConnectorConfig } from './unknown-keys.js';
