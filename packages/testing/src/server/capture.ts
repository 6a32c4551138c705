import { decodeFormBody } from '../form.js';
import type { CapturedCall, CapturedResponse } from './types.js';

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaType(contentType: string | null | undefined): string | undefined {
  if (!contentType) return undefined;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type || undefined;
}

/** Headers as a plain object with lower-case names (repeated headers joined by `, `). */
export function headersToObject(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

/** Parses a body by media type: JSON → value, form → nested object, else text; empty → undefined. */
export function parseBody(text: string, type: string | undefined): unknown {
  if (text === '') return undefined;
  if (type === 'application/x-www-form-urlencoded') return decodeFormBody(text);
  if (type === undefined || type === 'application/json' || type.endsWith('+json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** Reads a request (through a clone, so handlers can still read it) into a captured call. */
export async function captureRequest(request: Request, seq: number): Promise<CapturedCall> {
  const url = new URL(request.url);
  const contentType = mediaType(request.headers.get('content-type'));
  const rawBody = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.clone().text();
  return {
    seq,
    method: request.method.toUpperCase(),
    url: url.href,
    origin: url.origin,
    path: url.pathname,
    query: decodeFormBody(url.searchParams),
    headers: headersToObject(request.headers),
    contentType,
    body: parseBody(rawBody, contentType),
    rawBody,
    route: undefined,
    params: {},
  };
}

/** Records a response (through a clone) for the captured call. */
export async function captureResponse(response: Response): Promise<CapturedResponse> {
  const headers = headersToObject(response.headers);
  if (response.type === 'error') return { status: 0, headers, body: undefined };
  const text = await response.clone().text();
  return { status: response.status, headers, body: parseBody(text, mediaType(headers['content-type'])) };
}
