/**
 * `@hmi/testing`: the contract-test kit for hmi connectors and host apps — an MSW test server
 * with response sequences, captured calls and faults; OpenAPI 3.0/3.1 and FHIR validation
 * against the vendors' own descriptions; and the connector contract (`runConnectorContract` in
 * `@hmi/testing/vitest`, `createConnectorContract` here for other runners), the suite every connector
 * passes.
 * @packageDocumentation
 */
export * from './server/index.js';
export * from './form.js';
export * from './specs-dir.js';
export * from './openapi/index.js';
export * from './json-schema/index.js';
export * from './contract/index.js';
