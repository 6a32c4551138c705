export * from './telemetry.js';
export * from './hooks.js';
