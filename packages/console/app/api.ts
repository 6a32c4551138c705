// The console's only way to the server: the gateway's /v1 API, relative to the page
// (`<prefix>/console/` → `<prefix>/v1/…`), with the user's credential. The page holds no other secret.

export interface Me {
  client: { id: string; name: string; kind: string };
  scopes: string[];
  facility: string | null;
  operations: string[];
}

export interface Integration {
  id: string;
  description?: string;
  connector?: string;
  facility: string | null;
  running: boolean;
  canRun: boolean;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastErrorCode: string | null;
  lagSeconds: number | null;
  errorRate: number;
  deadLetters: number;
  nextRunAt: string | null;
  status: 'ok' | 'failing' | 'idle' | 'running';
}

export interface DeadLetter {
  id: string;
  topic: string;
  integrationPoint: string | null;
  connector: string | null;
  attempts: number;
  replays: number;
  createdAt: string;
  deadAt: string | null;
  error: { name: string; code: string; status?: number; retryable?: boolean } | null;
  payload?: unknown;
}

export interface AuditRecord {
  seq: number;
  at: string;
  integrationPoint: string;
  connector: string | null;
  operation: string;
  recordIds: string[];
  outcome: string;
  trigger: string;
  errorCode: string | null;
  durationMs: number | null;
  correlationId: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A refused or failed call: the status and the problem's slug, never a body to show raw. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
  ) {
    super(`${status} ${slug}`);
    this.name = 'ApiError';
  }
}

/** One server-sent event. */
export interface LiveEvent {
  event: string;
  data: Record<string, unknown>;
}

const KEY_STORAGE = 'hmi-console-key';

export function storedKey(): string | undefined {
  return sessionStorage.getItem(KEY_STORAGE) ?? undefined;
}

export function storeKey(key: string | undefined): void {
  if (key === undefined) sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
}

export interface Api {
  readonly key: string | undefined;
  me(): Promise<Me>;
  integrations(): Promise<Integration[]>;
  runIntegration(id: string): Promise<void>;
  deadLetters(cursor?: string): Promise<Page<DeadLetter>>;
  deadLetter(id: string): Promise<DeadLetter>;
  replay(id: string): Promise<void>;
  purge(id: string): Promise<void>;
  audit(filter: Record<string, string>, cursor?: string): Promise<Page<AuditRecord>>;
  /** Reads `/v1/events` until `signal` aborts; reconnects after a drop. */
  events(onEvent: (event: LiveEvent) => void, onState: (live: boolean) => void, signal: AbortSignal): void;
}

/** The API client. `key` undefined: the host's session cookie signs the requests in. */
export function createApi(key: string | undefined, base = new URL('../', location.href)): Api {
  const url = (path: string) => new URL(path, base).toString();
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    accept: 'application/json',
    ...(key && { authorization: `Bearer ${key}` }),
    ...extra,
  });
  const call = async <T>(method: string, path: string): Promise<T> => {
    const response = await fetch(url(path), {
      method,
      headers: headers(method === 'POST' ? { 'idempotency-key': crypto.randomUUID() } : {}),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as { type?: string };
      throw new ApiError(response.status, problem.type?.replace('urn:hmi:problem:', '') ?? 'unknown');
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  const query = (params: Record<string, string | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    const s = q.toString();
    return s ? `?${s}` : '';
  };
  return {
    key,
    me: () => call<Me>('GET', 'v1/me'),
    integrations: async () => (await call<{ items: Integration[] }>('GET', 'v1/integrations')).items,
    runIntegration: async (id) => {
      await call('POST', `v1/integrations/${encodeURIComponent(id)}/runs`);
    },
    deadLetters: (cursor) => call('GET', `v1/dead-letters${query({ limit: '100', cursor })}`),
    deadLetter: (id) => call('GET', `v1/dead-letters/${encodeURIComponent(id)}`),
    replay: async (id) => {
      await call('POST', `v1/dead-letters/${encodeURIComponent(id)}/replay`);
    },
    purge: async (id) => {
      await call('DELETE', `v1/dead-letters/${encodeURIComponent(id)}`);
    },
    audit: (filter, cursor) => call('GET', `v1/audit${query({ ...filter, limit: '50', cursor })}`),
    events(onEvent, onState, signal) {
      // fetch rather than EventSource: EventSource cannot send the Authorization header.
      const connect = async (): Promise<void> => {
        while (!signal.aborted) {
          try {
            const response = await fetch(url('v1/events'), {
              headers: headers({ accept: 'text/event-stream' }),
              credentials: 'same-origin',
              cache: 'no-store',
              signal,
            });
            if (!response.ok || !response.body) throw new ApiError(response.status, 'events');
            onState(true);
            await readEvents(response.body, onEvent);
          } catch {
            // dropped, refused or aborted: fall through to the retry below
          }
          onState(false);
          if (signal.aborted) return;
          await new Promise((resolve) => setTimeout(resolve, 3000));
        }
      };
      void connect();
    },
  };
}

/** Parses a text/event-stream body (the subset the gateway writes: id, event, data, comments). */
async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: LiveEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data += line.slice(5).trim();
      }
      if (data) {
        try {
          onEvent({ event, data: JSON.parse(data) as Record<string, unknown> });
        } catch {
          // a malformed event is skipped, not fatal
        }
      }
      end = buffer.indexOf('\n\n');
    }
    // Bounded: an event never grows past 64 KiB without a blank line.
    if (buffer.length > 65_536) buffer = '';
  }
}
