import { z } from 'zod';

// The parts of ARI's models the connector reads (channels.json, bridges.json, recordings.json,
// events.json). Everything else passes through: validate what we use, tolerate what we don't.

/** ARI CallerID. */
export const WireCallerId = z.object({ name: z.string().max(512).default(''), number: z.string().max(128).default('') });

/** ARI Channel (what the connector reads of it). */
export const WireChannel = z.object({
  id: z.string().min(1).max(256),
  name: z.string().max(512),
  state: z.string().max(32),
  caller: WireCallerId,
  connected: WireCallerId.optional(),
  dialplan: z
    .object({
      context: z.string().max(256),
      exten: z.string().max(256),
      app_name: z.string().max(256),
      app_data: z.string().max(1024),
    })
    .partial()
    .optional(),
  creationtime: z.string().max(64),
});
/** An ARI channel. */
export type WireChannel = z.infer<typeof WireChannel>;

/** ARI Bridge. */
export const WireBridge = z.object({ id: z.string().min(1).max(256), channels: z.array(z.string()).default([]) });

/** ARI LiveRecording. */
export const WireLiveRecording = z.object({
  name: z.string().min(1).max(512),
  format: z.string().max(32),
  state: z.string().max(32),
  target_uri: z.string().max(512).optional(),
  duration: z.number().optional(),
});
/** An ARI live recording. */
export type WireLiveRecording = z.infer<typeof WireLiveRecording>;

/** ARI StoredRecording. */
export const WireStoredRecording = z.object({ name: z.string().min(1).max(512), format: z.string().max(32) });

/** The event fields the assembler reads; the rest of each event is tolerated. */
export const WireEvent = z.object({
  type: z.string().max(64),
  timestamp: z.string().max(64).optional(),
  channel: WireChannel.optional(),
  peer: WireChannel.optional(),
  caller: WireChannel.optional(),
  dialstatus: z.string().max(64).optional(),
  cause: z.number().int().optional(),
  cause_txt: z.string().max(128).optional(),
  bridge: WireBridge.optional(),
  recording: WireLiveRecording.optional(),
  playback: z
    .object({ id: z.string(), media_uri: z.string().max(512), target_uri: z.string().max(512) })
    .partial()
    .optional(),
});
/** An ARI event as the assembler reads it. */
export type WireEvent = z.infer<typeof WireEvent>;

/** Parses an ARI timestamp (`2026-12-03T18:49:06.123+0000`) to epoch ms, or undefined. */
export function parseAriTime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}

/** Formats epoch ms as ARI writes timestamps. */
export function formatAriTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
