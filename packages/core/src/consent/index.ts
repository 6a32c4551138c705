export * from './consent.js';
export * from './templates.js';
export * from './consent-options.js';
