export * from './types.js';
export { createConnectorContract, type ConnectorContract } from './contract.js';
export { createLeakRecorder, errorSurfaces, type LeakRecorder } from './leak-scan.js';
