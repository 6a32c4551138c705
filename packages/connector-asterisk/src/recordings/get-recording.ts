import { AbortedError, ApiError, NetworkError, ValidationError } from '@hmi/core';
import type { AsteriskContext } from '../asterisk-context.js';
import { classifyAsteriskError } from '../asterisk-error.js';

/** Where a recording's bytes go: a web `WritableStream` or anything with `write` (and `close`). */
export type RecordingSink =
  | WritableStream<Uint8Array>
  | { write(chunk: Uint8Array): unknown | Promise<unknown>; close?(): unknown | Promise<unknown> };

/** Options of `getRecording`. */
export interface GetRecordingOptions {
  signal?: AbortSignal;
  /** Refuse files larger than this, bytes. Default 512 MiB. */
  maxBytes?: number;
}

/** What `getRecording` reports: the size written and the media type. */
export interface RecordingDownload {
  bytes: number;
  contentType: string;
}

const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Streams a stored recording (`GET /ari/recordings/stored/{name}/file`) chunk by chunk to `sink`,
 * never holding the whole file. Recordings are PHI: the name and URL never appear in errors or
 * telemetry (this request bypasses the JSON client, and errors name only the status).
 */
export async function getRecording(
  ctx: AsteriskContext,
  name: string,
  sink: RecordingSink,
  options: GetRecordingOptions = {},
): Promise<RecordingDownload> {
  const base = { connector: 'asterisk', operation: 'getRecording' };
  if (!NAME.test(name))
    throw new ValidationError('getRecording: not a recording name', {
      ...base,
      issues: [{ path: ['name'], code: 'invalid_string', message: 'expected letters, digits, _ . -' }],
    });
  const maxBytes = options.maxBytes ?? 512 * 1024 * 1024;
  const url = new URL(`/ari/recordings/stored/${encodeURIComponent(name)}/file`, ctx.config.baseUrl);
  if (url.protocol !== 'https:' && !ctx.config.allowInsecureHttp)
    throw new ValidationError('getRecording: baseUrl must be https (recordings are patient data)', base);
  const auth = `Basic ${Buffer.from(`${ctx.config.username}:${ctx.config.password}`).toString('base64')}`;
  let response: Response;
  try {
    // No redirects: credentials must never follow a recording to another origin.
    response = await ctx.fetch(url, {
      headers: { authorization: auth },
      redirect: 'manual',
      ...(options.signal && { signal: options.signal }),
    });
  } catch {
    if (options.signal?.aborted) throw new AbortedError('getRecording aborted', base);
    throw new NetworkError('getRecording: Asterisk unreachable', { ...base, retryable: true });
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    const classified = classifyAsteriskError({
      status: response.status,
      headers: response.headers,
      body: undefined,
      operation: 'getRecording',
    } as never);
    throw (
      classified ??
      new ApiError(`Asterisk ARI status ${response.status}`, {
        ...base,
        status: response.status,
        retryable: response.status >= 500,
      })
    );
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw new ApiError('getRecording: the recording is larger than maxBytes', { ...base, code: 'too_large', retryable: false });
  }
  const writer = 'getWriter' in sink ? sink.getWriter() : undefined;
  const reader = response.body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes)
        throw new ApiError('getRecording: the recording is larger than maxBytes', {
          ...base,
          code: 'too_large',
          retryable: false,
        });
      // Awaiting each write gives the sink backpressure: at most one chunk is held here.
      if (writer) await writer.write(value);
      else await (sink as { write(chunk: Uint8Array): unknown }).write(value);
    }
    if (writer) await writer.close();
    else await (sink as { close?(): unknown }).close?.();
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    if (writer) await writer.abort().catch(() => undefined);
    if (ApiError.isInstance(error)) throw error;
    throw new ApiError('getRecording: the download or the sink failed', { ...base, code: 'stream_failed', retryable: true });
  }
  return { bytes, contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
}
