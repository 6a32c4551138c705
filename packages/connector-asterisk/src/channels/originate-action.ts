import { ApiError, action, phi, ValidationError } from '@hmi/core';
import { tryNormalizePhone } from '@hmi/phone';
import { z } from 'zod';
import type { AsteriskContext } from '../asterisk-context.js';
import { WireChannel } from '../asterisk-model.js';

/** Input of `originate`. */
export const OriginateInput = z.object({
  /** The agent's extension: rung first. */
  agentExtension: z.string().regex(/^[0-9A-Za-z_*#]{1,32}$/, 'expected an extension'),
  /** The patient's number (local or E.164): dialled once the agent answers. Patient data. */
  patientNumber: phi(z.string().regex(/^\+?[0-9\u0660-\u0669\u06F0-\u06F9 ()-]{3,32}$/, 'expected a phone number')),
  /** Endpoint template of the agent's phone; `{ext}` is replaced. Default `PJSIP/{ext}`. */
  endpoint: z
    .string()
    .regex(/^[A-Za-z]+\/[^\s]*\{ext\}[^\s]*$/)
    .default('PJSIP/{ext}'),
  /** Dialplan context that dials the patient. Default `from-internal`. */
  context: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .default('from-internal'),
  /** Caller ID shown on the agent's phone. */
  callerId: z.string().max(128).optional(),
  /** Seconds to ring the agent. Default 30. */
  timeoutSec: z.number().int().min(1).max(300).default(30),
});

/** What `originate` returns: the call id its CallRecord will carry (the agent leg's channel id). */
export const OriginateOutput = z.object({ callId: z.string(), agentExtension: z.string(), state: z.string() });

/**
 * Click-to-call from the CRM (`POST /ari/channels`): rings the agent's extension and, once
 * answered, the dialplan dials the patient. Parameters go in the JSON body (ARI reads body keys as
 * parameters), so the patient's number is never in a URL. The channel id is derived from the
 * idempotency key: a retry after an unknown outcome reuses it, Asterisk answers 409 for a channel
 * that exists, and the connector then reads that channel instead of ringing the agent twice.
 */
export const originate = action({
  description: "Click-to-call: ring the agent's extension, then the patient",
  idempotent: false,
  input: OriginateInput,
  output: OriginateOutput,
  async run(input, ctx: AsteriskContext, call) {
    const patient = tryNormalizePhone(input.patientNumber, { defaultRegion: ctx.config.defaultRegion });
    if (!patient)
      throw new ValidationError('originate: patientNumber is not a valid phone number', {
        connector: 'asterisk',
        operation: 'originate',
        issues: [{ path: ['patientNumber'], code: 'invalid_number', message: 'not a valid phone number' }],
      });
    const channelId = `hmi-${(call.idempotencyKey ?? crypto.randomUUID()).replace(/[^A-Za-z0-9-]/g, '').slice(0, 60)}`;
    const request = () =>
      ctx.http.request({
        method: 'POST',
        path: '/ari/channels',
        json: {
          endpoint: input.endpoint.replace('{ext}', input.agentExtension),
          extension: patient,
          context: input.context,
          priority: 1,
          timeout: input.timeoutSec,
          channelId,
          ...(input.callerId && { callerId: input.callerId }),
          variables: { HMI_AGENT: input.agentExtension },
        },
        ...(call.idempotencyKey && { idempotencyKey: call.idempotencyKey }),
        schema: WireChannel,
        operation: 'originate',
        signal: call.signal,
      });
    let channel: WireChannel;
    try {
      channel = await request();
    } catch (error) {
      // A retried originate whose first attempt did ring: read the channel it made.
      if (!(ApiError.isInstance(error) && error.code === 'conflict')) throw error;
      channel = await ctx.http.request({
        path: `/ari/channels/${encodeURIComponent(channelId)}`,
        schema: WireChannel,
        operation: 'originate',
        signal: call.signal,
      });
    }
    ctx.expectOriginated(channel.id, input.agentExtension);
    // The call runs in the dialplan, not in Stasis: subscribe the app so its events reach `listen`.
    await ctx.http.request({
      method: 'POST',
      path: `/ari/applications/${encodeURIComponent(ctx.config.app)}/subscription`,
      query: { eventSource: `channel:${channel.id}` },
      idempotent: true,
      operation: 'originate',
      signal: call.signal,
    });
    return { callId: channel.id, agentExtension: input.agentExtension, state: channel.state };
  },
});
