export * from './hl7-error.js';
export * from './parser/index.js';
