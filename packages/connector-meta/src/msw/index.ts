/**
 * `@hmi/connector-meta/msw`: a fake Graph API for MSW, fixtures that Meta's own specs validate,
 * and signed webhook requests — for host apps' tests.
 * @packageDocumentation
 */
import { signGraphPayload } from '../graph/signature.js';

export {
  createFakeGraphApi,
  type FakeGraphApi,
  type FakeGraphApiOptions,
  type FakeGraphError,
  type FakeGraphRequest,
  type FakeGraphState,
} from './fake-graph-api.js';
export {
  campaignFixtures,
  commentFixture,
  FIXTURE_IDS,
  insightsFixtures,
  leadFixture,
  pageInsightsFixture,
  postFixtures,
} from './fixtures.js';

/** Options of {@link signedLeadgenWebhook}. */
export interface SignedLeadgenWebhookOptions {
  /** Your endpoint's URL. */
  url: string;
  /** The app secret to sign with. */
  appSecret: string;
  /** The lead's id. Default the fixture lead's. */
  leadId?: string;
  pageId?: string;
  formId?: string;
  adId?: string;
  /** Unix seconds. Default 1 764 752 142 (fixed, so bodies are reproducible). */
  time?: number;
}

/** A `leadgen` delivery signed as Meta signs it (`X-Hub-Signature-256`): a Fetch `Request`. */
export function signedLeadgenWebhook(options: SignedLeadgenWebhookOptions): Request {
  const time = options.time ?? 1_764_752_142;
  const pageId = options.pageId ?? '104857600123456';
  const body = JSON.stringify({
    object: 'page',
    entry: [
      {
        id: pageId,
        time,
        changes: [
          {
            field: 'leadgen',
            value: {
              leadgen_id: options.leadId ?? '1234567890123456',
              page_id: pageId,
              form_id: options.formId ?? '918273645500001',
              ad_id: options.adId ?? '23850000000000003',
              adgroup_id: options.adId ?? '23850000000000003',
              created_time: time,
            },
          },
        ],
      },
    ],
  });
  return new Request(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signGraphPayload(body, options.appSecret) },
    body,
  });
}

/** Meta's GET subscription handshake for `url` with `verifyToken` and `challenge`. */
export function graphHandshakeRequest(url: string, verifyToken: string, challenge = '1158201444'): Request {
  const u = new URL(url);
  u.searchParams.set('hub.mode', 'subscribe');
  u.searchParams.set('hub.verify_token', verifyToken);
  u.searchParams.set('hub.challenge', challenge);
  return new Request(u, { method: 'GET' });
}
