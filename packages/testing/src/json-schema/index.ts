export * from './json-schema-validator.js';
export * from './fhir.js';
export * from './discovery.js';
