/**
 * `@hmi/connector-moyasar/msw`: a fake Moyasar API for MSW written from Moyasar's documentation,
 * fixtures in the documented shapes (payments, error bodies) and webhook deliveries as Moyasar
 * sends them — for host apps' tests.
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import type { WirePayment } from '../moyasar-model.js';

export {
  createFakeMoyasarApi,
  type FakeMoyasarApiOptions,
  type FakeMoyasarFailure,
  type FakeMoyasarRequest,
  type FakeMoyasarState,
} from './fake-moyasar-api.js';
export { MOYASAR_ERROR_BODIES, moyasarPaymentFixture } from './fixtures.js';

/** Options of {@link moyasarWebhookRequest}. */
export interface MoyasarWebhookRequestOptions {
  /** Your endpoint's URL. */
  url: string;
  /** The event type, e.g. `payment_paid`. */
  type: string;
  /** The payment the event carries. */
  payment: WirePayment;
  /** The `secret_token` Moyasar echoes (the webhook's shared secret). */
  secretToken: string;
  /** The event id. Default a random UUID. */
  eventId?: string;
  /** Default false (test mode). */
  live?: boolean;
}

/** A webhook delivery as Moyasar sends it (Webhook Reference): a Fetch `Request` with the JSON event. */
export function moyasarWebhookRequest(options: MoyasarWebhookRequestOptions): Request {
  const body = JSON.stringify({
    id: options.eventId ?? randomUUID(),
    type: options.type,
    created_at: options.payment.updated_at ?? options.payment.created_at,
    secret_token: options.secretToken,
    account_name: 'Hospital Demo',
    live: options.live ?? false,
    data: options.payment,
  });
  return new Request(options.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}
