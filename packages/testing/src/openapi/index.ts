export * from './spec-cache.js';
export * from './errors.js';
export { convertOpenApi30 } from './convert.js';
export * from './validator.js';
