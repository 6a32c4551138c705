export * from './types.js';
export * from './define-connector.js';
