import { ConsentError, createConsentGate, isHmiError } from '@hmi/core';
import type { z } from 'zod';
import { GatewayProblem } from '../http/problem.js';
import { MessageInput, MessageResult } from '../schemas.js';
import { loadContact } from './contacts.js';
import type { RouteDef } from './types.js';

const sendMessage: RouteDef = {
  method: 'POST',
  path: '/v1/messages',
  operationId: 'sendMessage',
  summary: 'Send a message to a contact through the configured channel (consent-gated)',
  description:
    "The recipient is the contact's first phone (sms, whatsapp) or email (email); the body never names one. Marketing needs a granted consent for the channel and purpose (core's consent gate, with the consents recorded here); the connector's own gate applies too. Send an Idempotency-Key: a repeated request with the same key never sends twice.",
  tag: 'Messages',
  scope: 'messages:send',
  body: MessageInput,
  responses: { 202: { description: 'Accepted by the channel', schema: MessageResult } },
  problems: [422, 502],
  async handler(ctx, deps) {
    const input = ctx.body as z.output<typeof MessageInput>;
    const contact = await loadContact(deps, ctx.client, input.contactId);
    ctx.recordIds.push(contact.id);
    const channel = Object.hasOwn(deps.channels, input.channel) ? deps.channels[input.channel] : undefined;
    const connector =
      channel && Object.hasOwn(deps.connectors, channel.connector) ? deps.connectors[channel.connector] : undefined;
    const action = connector?.actions[channel!.action] as
      | ((input: unknown, options?: { idempotencyKey?: string }) => Promise<unknown>)
      | undefined;
    if (!channel || typeof action !== 'function') {
      throw new GatewayProblem('unprocessable', 'no connector is configured for this channel', {
        errors: [{ pointer: '/channel', code: 'channel_not_configured' }],
      });
    }
    const to = input.channel === 'email' ? contact.emails[0]?.value : contact.phones[0]?.value;
    if (!to) {
      throw new GatewayProblem('unprocessable', 'the contact has no address for this channel', {
        errors: [{ pointer: '/channel', code: 'no_recipient' }],
      });
    }
    const gate = createConsentGate({ check: () => deps.consentAllows(contact.id, input.channel, input.purpose) }, 'gateway');
    try {
      await gate.assertAllowed(
        { recipient: to, channel: input.channel as 'sms', purpose: input.purpose, contactId: contact.id },
        new Date(deps.now()),
      );
    } catch (error) {
      const reason = ConsentError.isInstance(error) ? error.reason : 'no_consent';
      throw new GatewayProblem('consent-refused', undefined, { errors: [{ pointer: '/purpose', code: reason }] });
    }
    const message = {
      to,
      body: input.body,
      purpose: input.purpose,
      contactId: contact.id,
      ...(input.subject !== undefined && { subject: input.subject }),
    };
    const actionInput = channel.toInput
      ? channel.toInput(message)
      : { to, body: input.body, purpose: input.purpose, contactId: contact.id };
    let result: unknown;
    try {
      // The client's Idempotency-Key (scoped to the client) goes to the connector, so a vendor that
      // honours keys sends once even if the gateway is retried after a crash.
      result = await action(actionInput, ctx.idempotencyKey ? { idempotencyKey: `gw:${ctx.idempotencyKey}` } : undefined);
    } catch (error) {
      if (isHmiError(error) && ConsentError.isInstance(error)) {
        throw new GatewayProblem('consent-refused', undefined, { errors: [{ pointer: '/purpose', code: 'connector_refused' }] });
      }
      if (isHmiError(error) && error.code === 'validation_error') {
        throw new GatewayProblem('unprocessable', 'the channel refused the message', {
          errors: [{ pointer: '/', code: 'channel_validation' }],
        });
      }
      throw new GatewayProblem(
        'upstream-failed',
        isHmiError(error) ? `the channel failed (${error.code})` : 'the channel failed',
      );
    }
    const r = (result ?? {}) as { id?: unknown; status?: unknown; vendorId?: unknown; messageId?: unknown };
    const vendorId = [r.vendorId, r.id, r.messageId].find((v): v is string => typeof v === 'string');
    const id = `msg_${ctx.requestId.replaceAll('-', '')}`;
    ctx.recordIds.push(id);
    return {
      status: 202,
      body: {
        id,
        contactId: contact.id,
        channel: input.channel,
        connector: channel.connector,
        status: typeof r.status === 'string' ? r.status : 'accepted',
        ...(vendorId !== undefined && { vendorId }),
      },
    };
  },
};

/** The message route. @internal */
export const messageRoutes: RouteDef[] = [sendMessage];
