/**
 * `@hmi/connector-tap/msw`: a fake Tap API for MSW written from Tap's documentation, fixtures in the
 * documented shapes (charge object, error bodies) and signed webhook deliveries — for host apps' tests.
 * @packageDocumentation
 */
import type { WireCharge } from '../tap-model.js';
import { computeTapHashstring, TAP_HASHSTRING_HEADER } from '../webhooks/hashstring.js';

export {
  createFakeTapApi,
  type FakeTapApiOptions,
  type FakeTapFailure,
  type FakeTapRequest,
  type FakeTapState,
} from './fake-tap-api.js';
export { TAP_ERROR_BODIES, tapChargeFixture } from './fixtures.js';

/** A charge webhook as Tap posts it: the charge as JSON with its `hashstring` header. */
export function tapWebhookRequest(options: { url: string; charge: WireCharge; secretKey: string }): Request {
  const charge = options.charge;
  return new Request(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TAP_HASHSTRING_HEADER]: computeTapHashstring(charge, options.secretKey) },
    body: JSON.stringify(charge),
  });
}
