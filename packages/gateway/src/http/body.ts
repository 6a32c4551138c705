import { GatewayProblem } from './problem.js';

/**
 * Reads a JSON body, stopping at `limit` bytes (a declared Content-Length over it is refused before
 * reading). Answers problems for a wrong media type, an oversized or unreadable body and bad JSON.
 * Returns the raw bytes too: the idempotency fingerprint is taken over them.
 */
export async function readJsonBody(request: Request, limit: number): Promise<{ value: unknown; raw: Uint8Array }> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) throw new GatewayProblem('unsupported-media-type');
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw new GatewayProblem('payload-too-large', `the limit is ${limit} bytes`);
  const raw = await readLimited(request, limit);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw new GatewayProblem('bad-request', 'the body is not valid UTF-8 JSON');
  }
  return { value, raw };
}

async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw new GatewayProblem('payload-too-large', `the limit is ${limit} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof GatewayProblem) throw error;
    throw new GatewayProblem('bad-request', 'the body could not be read');
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
