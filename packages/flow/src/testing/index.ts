/**
 * `@hmi/flow/testing`: the StateStore conformance suite and a manual clock, for tests of stores,
 * schedules and workers.
 * @packageDocumentation
 */
export { runStateStoreConformance, type StateStoreConformanceOptions } from './store-conformance.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
