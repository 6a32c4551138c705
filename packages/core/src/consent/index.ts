export * from './consent.js';
export * from './templates.js';
