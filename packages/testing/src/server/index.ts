export * from './types.js';
export { fault, isFault, type StatusFaultOptions, type RateLimitFaultOptions, type SlowBodyFaultOptions } from './faults.js';
export { createTestServer, type TestServer, type TestServerOptions, type UnhandledRequestMode } from './test-server.js';
export {
  listenOnLoopback,
  startFetchLoopbackServer,
  startLoopbackServer,
  type LoopbackListener,
  type LoopbackReply,
  type LoopbackRequest,
  type LoopbackServer,
} from './loopback.js';
