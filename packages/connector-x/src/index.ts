/**
 * `@hmi/connector-x`: the X (Twitter) API v2 connector — posts and replies with reply settings,
 * deletes, the account's posts with public metrics and its mentions as incremental streams,
 * OAuth 2.0 user tokens with refresh-token rotation or OAuth 1.0a (HMAC-SHA1), X's rate-limit
 * headers respected, and patient data refused before any request. An MSW fake is at `./msw`.
 * @packageDocumentation
 */
export { createXConnector, type XConnector, xConnector } from './x-connector.js';
export {
  X_DEFAULT_BASE_URL,
  X_DEFAULT_TOKEN_URL,
  XConfig,
  type XConfigInput,
  XOAuth1UserAuth,
  XOAuth2UserAuth,
  XPrivateReplyTemplate,
  type XTokenSet,
} from './x-config.js';
export type { XContext } from './x-context.js';
export { createXErrorClassifier, X_KNOWN_DETAILS, type XErrorClassifierOptions } from './x-error.js';
export {
  createXRateLimitGate,
  readRateWindow,
  X_RATE_LIMIT_HEADERS,
  type XRateLimitGate,
  type XRateLimitGateOptions,
  type XRateWindow,
} from './rate-limit.js';
export {
  type OAuth1Credentials,
  type OAuth1Nonce,
  type OAuth1Request,
  oauth1BaseString,
  oauth1Header,
  oauth1Signature,
  percentEncode,
} from './auth/oauth1.js';
export { CreatePostInput, DeletePostInput, DeletePostOutput, XReplySettings } from './posts/post-actions.js';
export { TimelineCheckpoint } from './posts/timeline.js';
export { XPostRecord } from './x-model.js';
export {
  assertNoPhi,
  DEFAULT_PRIVATE_REPLY,
  findPhi,
  foldForNames,
  KnownPatient,
  type PhiKind,
  privateReplyText,
} from './privacy/phi-guard.js';
