/** MLLP start block (VT). */
export const MLLP_START = 0x0b;
/** MLLP end block (FS), followed by a carriage return. */
export const MLLP_END = 0x1c;
const CR = 0x0d;

/** Wraps an HL7 message in an MLLP frame: `0x0B` message `0x1C 0x0D`. */
export function frameMllp(message: string | Uint8Array): Buffer {
  const body = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  const frame = Buffer.allocUnsafe(body.length + 3);
  frame[0] = MLLP_START;
  frame.set(body, 1);
  frame[body.length + 1] = MLLP_END;
  frame[body.length + 2] = CR;
  return frame;
}

/** What {@link MllpDecoder.push} found in a chunk. */
export type MllpFrameEvent =
  /** A complete frame's payload. */
  | { type: 'message'; payload: Buffer }
  /**
   * A frame passed `maxMessageBytes`: the rest of it is being discarded. `head` holds its first
   * bytes (enough for the MSH segment, so the refusal can still quote MSH-10).
   */
  | { type: 'oversize'; head: Buffer }
  /** A start block arrived inside a frame: the unfinished frame was dropped. */
  | { type: 'truncated' };

/** Options of {@link MllpDecoder}. */
export interface MllpDecoderOptions {
  /** Largest payload accepted; bigger frames are discarded as they stream in. */
  maxMessageBytes: number;
  /** How many leading bytes of an oversize frame to keep for the refusal. Default 4096. */
  headBytes?: number;
}

type State = 'outside' | 'inside' | 'skipping';

/**
 * Incremental MLLP decoder. Feed it TCP chunks in order; it returns the frames completed by each
 * chunk. Handles several frames in one chunk, a frame split across any number of chunks (down to
 * one byte each), and bytes between frames (ignored). Memory stays bounded by `maxMessageBytes`:
 * an oversize frame is reported once and then skipped, not buffered.
 */
export class MllpDecoder {
  readonly #max: number;
  readonly #headBytes: number;
  #state: State = 'outside';
  #parts: Buffer[] = [];
  #size = 0;
  #pendingEnd = false;

  constructor(options: MllpDecoderOptions) {
    this.#max = Math.max(1, Math.floor(options.maxMessageBytes));
    this.#headBytes = Math.min(options.headBytes ?? 4096, this.#max);
  }

  /** Bytes held for the frame in progress (never more than `maxMessageBytes`). */
  get bufferedBytes(): number {
    return this.#size;
  }

  /** True while a frame has started and not yet ended (also while an oversize one is skipped). */
  get inFrame(): boolean {
    return this.#state !== 'outside' || this.#pendingEnd;
  }

  /** Processes one chunk and returns what it completed. */
  push(chunk: Uint8Array): MllpFrameEvent[] {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const events: MllpFrameEvent[] = [];
    let pos = 0;
    const len = buf.length;
    while (pos < len) {
      if (this.#pendingEnd) {
        // The byte after 0x1C should be CR; accept its absence rather than lose the message.
        this.#pendingEnd = false;
        if (buf[pos] === CR) pos++;
        this.#finish(events);
        continue;
      }
      if (this.#state === 'outside') {
        const start = buf.indexOf(MLLP_START, pos);
        if (start === -1) break; // garbage between frames
        this.#begin();
        pos = start + 1;
        continue;
      }
      const end = buf.indexOf(MLLP_END, pos);
      const stop = end === -1 ? len : end;
      const restart = buf.indexOf(MLLP_START, pos);
      if (restart !== -1 && restart < stop) {
        // A new frame began before this one ended: the sender gave up on it.
        if (this.#state === 'inside') events.push({ type: 'truncated' });
        this.#begin();
        pos = restart + 1;
        continue;
      }
      if (this.#state === 'inside') this.#take(buf.subarray(pos, stop), events);
      if (end === -1) break;
      pos = end + 1;
      this.#pendingEnd = true;
    }
    return events;
  }

  #begin(): void {
    this.#state = 'inside';
    this.#parts = [];
    this.#size = 0;
  }

  #take(bytes: Buffer, events: MllpFrameEvent[]): void {
    if (bytes.length === 0) return;
    if (this.#size + bytes.length > this.#max) {
      const held = Buffer.concat([...this.#parts, bytes.subarray(0, Math.max(0, this.#headBytes - this.#size))]);
      events.push({ type: 'oversize', head: held.subarray(0, this.#headBytes) });
      this.#state = 'skipping';
      this.#parts = [];
      this.#size = 0;
      return;
    }
    // Copy: a subarray would pin the whole socket chunk in memory for as long as the frame lives.
    this.#parts.push(Buffer.from(bytes));
    this.#size += bytes.length;
  }

  #finish(events: MllpFrameEvent[]): void {
    if (this.#state === 'inside') events.push({ type: 'message', payload: Buffer.concat(this.#parts, this.#size) });
    this.#state = 'outside';
    this.#parts = [];
    this.#size = 0;
  }
}
