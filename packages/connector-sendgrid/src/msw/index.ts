/**
 * `@hmi/connector-sendgrid/msw`: a fake SendGrid for tests. Its mail/send checks the request the
 * way SendGrid does (bearer key, body shape, at most 1000 personalizations) and answers 202 with an
 * `X-Message-Id`; it records what was sent. Also a signer for Event Webhook requests.
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { type HttpHandler, HttpResponse, http } from 'msw';
import { MailSendBody } from './mail-send-shape.js';

export { MailSendBody } from './mail-send-shape.js';
export { createSendGridWebhookSigner, eventWebhookBody, type SendGridWebhookSigner } from './webhook-signer.js';

/** One request the fake accepted. */
export interface RecordedMailSend {
  messageId: string;
  body: MailSendBody;
  authorization: string;
}

/** Options of {@link createSendGridHandlers}. */
export interface SendGridHandlersOptions {
  /** Default `https://api.sendgrid.com`. */
  baseUrl?: string;
  /** When set, any other bearer key gets 401. */
  apiKey?: string;
  /** Message ids to hand out; random 22-character ids by default. */
  messageId?: () => string;
}

/** The fake: MSW handlers plus what it recorded. */
export interface SendGridMock {
  handlers: HttpHandler[];
  /** Accepted mail/send requests, in order. */
  sent: RecordedMailSend[];
  /** Every mail/send request that reached the fake, accepted or not. */
  readonly requestCount: number;
}

function errorBody(errors: Array<{ field: string | null; message: string }>) {
  return { errors: errors.map((e) => ({ field: e.field, message: e.message, help: null })) };
}

/** Creates a fake SendGrid. Each call has its own state, so parallel tests do not share it. */
export function createSendGridHandlers(options: SendGridHandlersOptions = {}): SendGridMock {
  const base = (options.baseUrl ?? 'https://api.sendgrid.com').replace(/\/+$/, '');
  const nextId = options.messageId ?? (() => randomBytes(16).toString('base64url').slice(0, 22));
  const sent: RecordedMailSend[] = [];
  let requestCount = 0;
  const authorized = (request: Request): string | undefined => {
    const header = request.headers.get('authorization') ?? '';
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match) return undefined;
    if (options.apiKey !== undefined && match[1] !== options.apiKey) return undefined;
    return header;
  };
  const handlers: HttpHandler[] = [
    http.post(`${base}/v3/mail/send`, async ({ request }) => {
      requestCount++;
      const authorization = authorized(request);
      if (!authorization)
        return HttpResponse.json(errorBody([{ field: null, message: 'authorization required' }]), { status: 401 });
      let json: unknown;
      try {
        json = await request.json();
      } catch {
        return HttpResponse.json(errorBody([{ field: null, message: 'Bad Request' }]), { status: 400 });
      }
      const parsed = MailSendBody.safeParse(json);
      if (!parsed.success) {
        const errors = parsed.error.issues.slice(0, 10).map((i) => ({ field: i.path.join('.') || null, message: i.message }));
        return HttpResponse.json(errorBody(errors), { status: 400 });
      }
      const messageId = nextId();
      sent.push({ messageId, body: parsed.data, authorization });
      return new HttpResponse(null, { status: 202, headers: { 'X-Message-Id': messageId } });
    }),
    http.get(`${base}/v3/scopes`, ({ request }) => {
      if (!authorized(request))
        return HttpResponse.json(errorBody([{ field: null, message: 'authorization required' }]), { status: 401 });
      return HttpResponse.json({ scopes: ['mail.send'] });
    }),
  ];
  return {
    handlers,
    sent,
    get requestCount() {
      return requestCount;
    },
  };
}
