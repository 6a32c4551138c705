import { action } from '@hmi/core';
import { z } from 'zod';
import type { AsteriskContext } from '../asterisk-context.js';
import { WireLiveRecording } from '../asterisk-model.js';

const Name = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'expected a recording name (letters, digits, _ . -)');

/** Input of `startRecording`. */
export const StartRecordingInput = z.object({
  /** The call's bridge. */
  bridgeId: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'expected a bridge id'),
  /** The stored recording's name. Default one derived from the idempotency key. */
  name: Name.optional(),
  format: z.enum(['wav', 'gsm', 'ulaw', 'alaw', 'sln']).default('wav'),
  /** Stop after this many seconds (0 = no limit). */
  maxDurationSeconds: z.number().int().min(0).max(86_400).default(0),
  /** Play a beep when recording begins (part of the recording announcement). */
  beep: z.boolean().default(false),
});

/** What `startRecording` returns. */
export const StartRecordingOutput = z.object({ name: z.string(), state: z.string(), format: z.string() });

/**
 * Starts recording a bridge (`POST /ari/bridges/{id}/record`) with `ifExists=fail`: a retry of a
 * start that did happen gets 409 instead of overwriting the first recording. Recordings are PHI:
 * the name is returned to the caller but never written to telemetry or errors.
 */
export const startRecording = action({
  description: "Record a call's bridge",
  idempotent: false,
  input: StartRecordingInput,
  output: StartRecordingOutput,
  async run(input, ctx: AsteriskContext, call) {
    const name = input.name ?? `hmi-${(call.idempotencyKey ?? crypto.randomUUID()).replace(/[^A-Za-z0-9-]/g, '').slice(0, 60)}`;
    const recording = await ctx.http.request({
      method: 'POST',
      path: `/ari/bridges/${encodeURIComponent(input.bridgeId)}/record`,
      json: {
        name,
        format: input.format,
        maxDurationSeconds: input.maxDurationSeconds,
        beep: input.beep,
        ifExists: 'fail',
      },
      ...(call.idempotencyKey && { idempotencyKey: call.idempotencyKey }),
      schema: WireLiveRecording,
      operation: 'startRecording',
      signal: call.signal,
    });
    return { name: recording.name, state: recording.state, format: recording.format };
  },
});

/** Input of `stopRecording`. */
export const StopRecordingInput = z.object({ name: Name });

/**
 * Stops a live recording and stores it (`POST /ari/recordings/live/{name}/stop`). Repeating it is
 * harmless (a second stop finds nothing to stop), so the core may retry it.
 */
export const stopRecording = action({
  description: 'Stop a live recording and store it',
  idempotent: true,
  input: StopRecordingInput,
  output: z.object({ stopped: z.literal(true) }),
  async run(input, ctx: AsteriskContext, call) {
    await ctx.http.request({
      method: 'POST',
      path: `/ari/recordings/live/${encodeURIComponent(input.name)}/stop`,
      idempotent: true,
      operation: 'stopRecording',
      signal: call.signal,
    });
    return { stopped: true as const };
  },
});
