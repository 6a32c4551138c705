import { ApiError, action } from '@hmi/core';
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
    // The name is in the request path: registered with the redactor so no URL in telemetry shows it.
    ctx.telemetry.redactor.addSecret(name);
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

/** What `stopRecording` returns: false when no live recording had that name (already stopped). */
export const StopRecordingOutput = z.object({ stopped: z.boolean() });

/**
 * Stops a live recording and stores it (`POST /ari/recordings/live/{name}/stop`). Repeating it is
 * harmless (a second stop finds nothing live and returns `stopped: false`), so the core may retry it.
 */
export const stopRecording = action({
  description: 'Stop a live recording and store it',
  idempotent: true,
  input: StopRecordingInput,
  output: StopRecordingOutput,
  async run(input, ctx: AsteriskContext, call) {
    ctx.telemetry.redactor.addSecret(input.name);
    try {
      await ctx.http.request({
        method: 'POST',
        path: `/ari/recordings/live/${encodeURIComponent(input.name)}/stop`,
        // One key per recording: every attempt of this stop carries the same one (ARI ignores it).
        idempotencyKey: call.idempotencyKey ?? `hmi-stop-${input.name}`,
        operation: 'stopRecording',
        signal: call.signal,
      });
    } catch (error) {
      // Nothing live under that name: already stopped (a repeat) or never started.
      if (ApiError.isInstance(error) && error.code === 'not_found') return { stopped: false };
      throw error;
    }
    return { stopped: true };
  },
});
