export * from './hmi-error.js';
export * from './errors.js';
export * from './zod-issues.js';
