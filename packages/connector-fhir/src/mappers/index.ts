export * from './shared.js';
export * from './identifiers.js';
export * from './patient.js';
export * from './condition.js';
export * from './appointment.js';
