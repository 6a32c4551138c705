export * from './types.js';
export * from './crypto.js';
