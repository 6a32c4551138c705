/**
 * `@hmi/connector-asterisk/msw` (also `/testing`): a fake Asterisk for host apps' tests — a loopback ARI server
 * (REST + event WebSocket) that plays scripted calls and can drop its sockets, MSW handlers for
 * the REST part, call scripts, and a reader of ARI's Swagger 1.2 descriptions that checks
 * requests, responses and events against them.
 * @packageDocumentation
 */
export { type AriSpec, type AriSpecIssue, loadAriSpec } from './ari-spec.js';
export {
  ariTimestamp,
  createFakeAri,
  type FakeAri,
  type FakeAriOptions,
  type FakeAriRequest,
  type FakeAriResponse,
} from './fake-ari.js';
export { type FakeAriServer, startFakeAriServer } from './fake-ari-server.js';
export {
  type AriChannelFixture,
  type AriEventFixture,
  ariBridge,
  ariChannel,
  interleave,
  type ScriptedCallOptions,
  type ScriptedEvent,
  scriptInboundCall,
} from './fixtures.js';
export { fakeAriHandlers } from './handlers.js';
