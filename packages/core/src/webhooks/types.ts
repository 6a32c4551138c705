/** The parts of an HTTP request a webhook verifier needs, with the body as raw bytes. */
export interface WebhookRequest {
  method: string;
  /** The full URL the vendor called (Twilio signs it). */
  url: string;
  headers: Headers;
  /** The body exactly as received: signatures are over bytes, not over parsed JSON. */
  rawBody: Uint8Array;
}

/** One event a verified webhook carried. */
export interface WebhookEvent<T = unknown> {
  /** The vendor's event id, used to drop duplicates. */
  id: string;
  /** The vendor's event type, e.g. `payment_intent.succeeded`. */
  type: string;
  /** When the vendor says it happened (ISO 8601). */
  occurredAt?: string;
  /** The event mapped to the canonical model where a mapping exists, else the vendor payload. */
  data: T;
  /** The connector id, filled in by the instance. */
  connector?: string;
}

/** Reads a Fetch-API Request into a {@link WebhookRequest} without parsing the body. */
export async function toWebhookRequest(request: Request): Promise<WebhookRequest> {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    rawBody: new Uint8Array(await request.arrayBuffer()),
  };
}

/** Whether a value is a {@link WebhookRequest} rather than a Fetch Request. */
export function isWebhookRequest(value: unknown): value is WebhookRequest {
  return typeof value === 'object' && value !== null && (value as WebhookRequest).rawBody instanceof Uint8Array;
}
