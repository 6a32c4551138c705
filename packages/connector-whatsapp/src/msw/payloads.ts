import { FIXTURE_IDS } from './fixtures.js';

/** Options common to the webhook payload builders. */
export interface PayloadOptions {
  phoneNumberId?: string;
  businessAccountId?: string;
  displayPhoneNumber?: string;
  /** Unix seconds. Default 1 764 752 142 (fixed, so bodies are reproducible). */
  timestamp?: number;
}

const T = 1_764_752_142;

function envelope(options: PayloadOptions, field: string, value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: options.businessAccountId ?? FIXTURE_IDS.businessAccountId, changes: [{ field, value }] }],
  };
}

function messagesValue(options: PayloadOptions, extra: Record<string, unknown>) {
  return {
    messaging_product: 'whatsapp',
    metadata: {
      display_phone_number: options.displayPhoneNumber ?? FIXTURE_IDS.displayPhoneNumber,
      phone_number_id: options.phoneNumberId ?? FIXTURE_IDS.phoneNumberId,
    },
    ...extra,
  };
}

/**
 * An inbound text message as WhatsApp delivers it (Meta: Cloud API "Webhooks: messages" reference).
 * `from` is the patient's wa_id (digits, no `+`).
 */
export function inboundTextPayload(options: PayloadOptions & { from: string; text: string; id?: string; name?: string }) {
  const from = options.from.replace(/^\+/, '');
  return envelope(
    options,
    'messages',
    messagesValue(options, {
      contacts: [{ profile: { name: options.name ?? 'مريض' }, wa_id: from }],
      messages: [
        {
          from,
          id: options.id ?? 'wamid.HBgMOTY2NTUxMjM0NTY3FQIAEhgUM0EwQjFDMkQzRTRGNTY3ODkwQUIA',
          timestamp: String(options.timestamp ?? T),
          type: 'text',
          text: { body: options.text },
        },
      ],
    }),
  );
}

/** A quick-reply tap on a template button (`type: button`). */
export function quickReplyPayload(options: PayloadOptions & { from: string; text: string; payload?: string; id?: string }) {
  const from = options.from.replace(/^\+/, '');
  return envelope(
    options,
    'messages',
    messagesValue(options, {
      contacts: [{ profile: { name: 'مريض' }, wa_id: from }],
      messages: [
        {
          context: {
            from: options.displayPhoneNumber ?? FIXTURE_IDS.displayPhoneNumber,
            id: 'wamid.HBgMOTY2NTUxMjM0NTY3FQIAERgSQTFCMkMzRDRFNUY2Nzg5MEFCAA==',
          },
          from,
          id: options.id ?? 'wamid.HBgMOTY2NTUxMjM0NTY3FQIAEhgUQkIxQzJEM0U0RjU2Nzg5MEFCQ0QA',
          timestamp: String(options.timestamp ?? T),
          type: 'button',
          button: { payload: options.payload ?? options.text, text: options.text },
        },
      ],
    }),
  );
}

/** A message status (`sent`, `delivered`, `read`, `failed` with an error code). */
export function statusPayload(
  options: PayloadOptions & {
    id: string;
    recipient: string;
    status: 'sent' | 'delivered' | 'read' | 'failed';
    errorCode?: number;
    category?: 'marketing' | 'utility' | 'authentication' | 'service';
  },
) {
  const category = options.category ?? 'utility';
  return envelope(
    options,
    'messages',
    messagesValue(options, {
      statuses: [
        {
          id: options.id,
          status: options.status,
          timestamp: String(options.timestamp ?? T),
          recipient_id: options.recipient.replace(/^\+/, ''),
          ...(options.status !== 'failed' && {
            conversation: { id: 'c0ffee0000000000000000000000001', origin: { type: category } },
            pricing: { billable: category !== 'service', pricing_model: 'PMP', category },
          }),
          ...(options.errorCode !== undefined && {
            errors: [
              {
                code: options.errorCode,
                title: 'Message undeliverable',
                message: 'Message undeliverable',
                error_data: { details: 'Message Undeliverable.' },
              },
            ],
          }),
        },
      ],
    }),
  );
}

/** A template review change (`message_template_status_update`). */
export function templateStatusPayload(
  options: PayloadOptions & { templateId: string; name: string; language: string; event: string; reason?: string },
) {
  return envelope(options, 'message_template_status_update', {
    event: options.event,
    message_template_id: Number(options.templateId),
    message_template_name: options.name,
    message_template_language: options.language,
    reason: options.reason ?? 'NONE',
  });
}
