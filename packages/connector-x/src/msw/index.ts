/**
 * `@hmi/connector-x/msw`: a fake X API v2 for MSW (OAuth 2.0 refresh rotation, OAuth 1.0a
 * signature checks, posts, deletes, timelines, mentions, rate limits) and hand-written fixtures
 * that X's OpenAPI description validates — for host apps' tests.
 * @packageDocumentation
 */
export {
  createFakeXApi,
  type FakeXApiOptions,
  type FakeXRequest,
  type FakeXState,
  X_PROBLEMS,
} from './fake-x-api.js';
export {
  type FakeXPost,
  type FakeXUser,
  xAccountFixture,
  xMentionAuthorsFixture,
  xMentionsFixture,
  xPostsFixture,
} from './fixtures.js';
