export * from './types.js';
export { createConnectorContract, type ConnectorContract } from './contract.js';
export {
  type CanaryLeak,
  createLeakRecorder,
  errorSurfaces,
  expectNoLeaks,
  fictionalPatient,
  leakedKinds,
  type LeakRecorder,
  type LeakScanOptions,
  type NamedLeakScanOptions,
  scanForCanaries,
} from './leak-scan.js';
