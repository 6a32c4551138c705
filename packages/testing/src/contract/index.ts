export * from './types.js';
export { createConnectorContract, type ConnectorContract } from './contract.js';
export {
  type CanaryLeak,
  createLeakRecorder,
  errorSurfaces,
  expectNoLeaks,
  type LeakRecorder,
  type LeakScanOptions,
  scanForCanaries,
} from './leak-scan.js';
