import { AbortedError, ApiError, NetworkError, ValidationError } from '@hmi/core';
import type { TwilioContext } from '../twilio-context.js';

/**
 * A Node `Writable`, or any object with `write` (and `end` or `close`). A `write` that declares a
 * callback parameter is awaited through it (a Node Writable calls it once the chunk is handled);
 * one returning a promise is awaited through that.
 */
export interface WritableLike {
  write(chunk: Uint8Array, callback?: (error?: Error | null) => void): unknown;
  end?(callback?: () => void): unknown;
  close?(): unknown;
}

/** Where a recording's bytes go: a web `WritableStream` or a Node `Writable`. */
export type RecordingSink = WritableStream<Uint8Array> | WritableLike;

/** Options of `downloadRecording`. */
export interface DownloadRecordingOptions {
  /** `wav` (Twilio's default, larger) or `mp3`. Default `mp3`. */
  format?: 'mp3' | 'wav';
  signal?: AbortSignal;
  /**
   * The largest file accepted, bytes, counted as it streams (the core's `response_too_large`
   * rule, with a cap sized for audio). Default 256 MiB.
   */
  maxBytes?: number;
}

/** What `downloadRecording` reports. */
export interface RecordingDownload {
  bytes: number;
  contentType: string;
}

const SID = /^RE[0-9a-fA-F]{32}$/;
const MAX_REDIRECTS = 3;

function sidOf(ref: string, connector: string): string {
  const sid = ref.startsWith('twilio:recordings/') ? ref.slice('twilio:recordings/'.length) : ref;
  if (!SID.test(sid)) {
    throw new ValidationError('downloadRecording: expected a Recording SID or a twilio:recordings/ reference', {
      connector,
      issues: [{ path: ['recording'], code: 'invalid_string', message: 'expected RE + 32 hex' }],
    });
  }
  return sid;
}

async function writeTo(sink: WritableLike, chunk: Uint8Array): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const done = (error?: Error | null) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve();
    };
    const result = sink.write(chunk, (error) => done(error));
    // Backpressure: the next chunk is read only once this one is handled (callback or promise).
    if (result instanceof Promise) result.then(() => done(), done);
    else if (sink.write.length < 2) done();
  });
}

async function finish(sink: WritableLike): Promise<void> {
  if (sink.end) await new Promise<void>((resolve) => sink.end!(() => resolve()));
  else await sink.close?.();
}

/**
 * Streams a call recording (`GET …/Recordings/{Sid}.mp3|.wav`) chunk by chunk to `sink`, never
 * holding the file: each write is awaited (backpressure), so at most one chunk is in memory.
 * Recordings are PHI: neither the SID nor any URL appears in errors or telemetry (this request
 * bypasses the JSON client, whose telemetry names paths). Twilio answers with a redirect to its
 * media storage: redirects are followed manually, https only, and the account credentials go to
 * Twilio's own origin only.
 */
export async function downloadRecording(
  ctx: TwilioContext,
  recording: string,
  sink: RecordingSink,
  options: DownloadRecordingOptions = {},
): Promise<RecordingDownload> {
  const base = { connector: ctx.connector, operation: 'downloadRecording' };
  const sid = sidOf(recording, ctx.connector);
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const { media } = ctx;
  const origin = new URL(media.baseUrl).origin;
  let url = new URL(`${ctx.accountPath}/Recordings/${sid}.${options.format ?? 'mp3'}`, media.baseUrl);
  const auth = `Basic ${Buffer.from(`${media.username}:${media.password}`).toString('base64')}`;
  let response: Response | undefined;
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'https:' && !media.allowInsecureHttp)
      throw new ValidationError('downloadRecording: recordings travel over https only (they are patient data)', base);
    try {
      response = await media.fetch(url, {
        headers: url.origin === origin ? { authorization: auth } : {},
        redirect: 'manual',
        ...(options.signal && { signal: options.signal }),
      });
    } catch {
      if (options.signal?.aborted) throw new AbortedError('downloadRecording aborted', base);
      throw new NetworkError('downloadRecording: Twilio unreachable', { ...base, retryable: true });
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || !location) break;
    // Not awaited: a cancelled body may settle only when its source does (why no cancel here waits).
    void response.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS)
      throw new ApiError('downloadRecording: too many redirects', { ...base, status: response.status, retryable: false });
    url = new URL(location, url);
  }
  if (!response.ok || !response.body) {
    void response.body?.cancel().catch(() => undefined);
    const status = response.status;
    const message =
      status === 404
        ? 'downloadRecording: no such recording'
        : status === 401 || status === 403
          ? 'downloadRecording: not authorised'
          : `downloadRecording: Twilio status ${status}`;
    throw new ApiError(message, { ...base, status, retryable: status === 429 || status >= 500 });
  }
  const tooLarge = () =>
    new ApiError('downloadRecording: the recording is larger than maxBytes', {
      ...base,
      code: 'response_too_large',
      retryable: false,
    });
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    void response.body.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const writer = 'getWriter' in sink ? sink.getWriter() : undefined;
  const reader = response.body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes) throw tooLarge();
      if (writer) await writer.write(value);
      else await writeTo(sink as WritableLike, value);
    }
    if (writer) await writer.close();
    else await finish(sink as WritableLike);
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    if (writer) await writer.abort().catch(() => undefined);
    if (ApiError.isInstance(error)) throw error;
    if (options.signal?.aborted) throw new AbortedError('downloadRecording aborted', base);
    // The sink's or the stream's own error may quote a file path or URL: not passed on.
    throw new ApiError('downloadRecording: the download or the sink failed', { ...base, code: 'stream_failed', retryable: true });
  }
  return { bytes, contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
}
