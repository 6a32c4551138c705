import { formatAriTime } from '../asterisk-model.js';
import type { AriSpec, AriSpecIssue } from './ari-spec.js';
import { type AriChannelFixture, type AriEventFixture, ariBridge, ariChannel } from './fixtures.js';

/** A request the fake received (credentials are not kept). */
export interface FakeAriRequest {
  method: string;
  /** Path under `/ari`, e.g. `/channels/abc`. */
  path: string;
  query: Record<string, string>;
}

/** What the fake answers: JSON, bytes, or nothing. */
export interface FakeAriResponse {
  status: number;
  json?: unknown;
  bytes?: Uint8Array;
  contentType?: string;
}

/** Options of {@link createFakeAri}. */
export interface FakeAriOptions {
  username: string;
  password: string;
  /** When given, every request, response and emitted event is checked; problems go to `specIssues`. */
  spec?: AriSpec;
  /** Epoch ms for channels the fake creates (originate). Default `Date.now`. */
  now?: () => number;
}

/** The fake PBX's state and its REST behaviour, shared by the HTTP server and the MSW handlers. */
export interface FakeAri {
  readonly channels: Map<string, AriChannelFixture>;
  readonly bridges: Map<string, { id: string; channels: string[]; createdAt: number }>;
  /** Stored recordings: name → file bytes. */
  readonly recordings: Map<string, Uint8Array>;
  readonly requests: FakeAriRequest[];
  /** Spec problems seen (requests, responses, events), when a spec was given. */
  readonly specIssues: (AriSpecIssue & { where: string })[];
  /** Checks the credentials of a request: `Authorization: Basic` or `api_key=user:pass`. */
  authorized(authorization: string | null | undefined, query: URLSearchParams): boolean;
  /** Answers a REST request (path under `/ari`); JSON body keys count as parameters, as in ARI. */
  handle(method: string, path: string, query: URLSearchParams, body?: unknown): FakeAriResponse;
  /** Applies an event to the state (channels appear and go) and checks it; returns it. */
  apply(event: AriEventFixture): AriEventFixture;
  /** Makes the next `count` REST requests fail with `status`. */
  failNext(status: number, count?: number): void;
}

/**
 * Creates the fake's state. REST covers what the connector and a host app's tests use:
 * `GET/POST /channels`, `GET/DELETE /channels/{id}`, `POST /bridges`, `POST /bridges/{id}/record`,
 * `POST /recordings/live/{name}/stop`, `GET /recordings/stored/{name}` and `/file`.
 * Answers follow `channels.json`, `bridges.json` and `recordings.json` (Asterisk 20+).
 */
export function createFakeAri(options: FakeAriOptions): FakeAri {
  const now = options.now ?? Date.now;
  const channels = new Map<string, AriChannelFixture>();
  const bridges = new Map<string, { id: string; channels: string[]; createdAt: number }>();
  const recordings = new Map<string, Uint8Array>();
  /** Live recordings: name → bridge id. */
  const live = new Map<string, string>();
  /** Stasis app subscriptions: app → event sources (`channel:<id>`). */
  const subscriptions = new Map<string, Set<string>>();
  const requests: FakeAriRequest[] = [];
  const specIssues: (AriSpecIssue & { where: string })[] = [];
  const failures: number[] = [];
  let sequence = 0;
  const expected = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  const error = (status: number, message: string): FakeAriResponse => ({ status, json: { message } });
  const bridgeJson = (b: { id: string; channels: string[]; createdAt: number }) => ariBridge(b.id, b.channels, b.createdAt);

  const route = (method: string, path: string, query: URLSearchParams): FakeAriResponse => {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const [resource, id, sub, action] = parts;
    if (resource === 'channels') {
      if (!id && method === 'GET') return { status: 200, json: [...channels.values()] };
      if (!id && method === 'POST') {
        const endpoint = query.get('endpoint');
        if (!endpoint) return error(400, 'Endpoint parameter is required');
        const channelId = query.get('channelId') ?? `fake-${++sequence}`;
        if (channels.has(channelId)) return error(409, 'Channel with given unique ID already exists');
        const channel = ariChannel({
          id: channelId,
          name: `${endpoint}-${String(++sequence).padStart(8, '0')}`,
          state: 'Down',
          callerNumber: query.get('callerId') ?? '',
          context: query.get('context') ?? 'default',
          exten: query.get('extension') ?? 's',
          createdAt: now(),
        });
        channels.set(channelId, channel);
        return { status: 200, json: channel };
      }
      const channel = id ? channels.get(id) : undefined;
      if (!channel) return error(404, 'Channel not found');
      if (!sub && method === 'GET') return { status: 200, json: channel };
      if (!sub && method === 'DELETE') {
        channels.delete(channel.id);
        return { status: 204 };
      }
    }
    if (resource === 'bridges') {
      if (!id && method === 'GET') return { status: 200, json: [...bridges.values()].map(bridgeJson) };
      if (!id && method === 'POST') {
        const bridge = { id: query.get('bridgeId') ?? `bridge-${++sequence}`, channels: [], createdAt: now() };
        bridges.set(bridge.id, bridge);
        return { status: 200, json: bridgeJson(bridge) };
      }
      const bridge = id ? bridges.get(id) : undefined;
      if (!bridge) return error(404, 'Bridge not found');
      if (!sub && method === 'GET') return { status: 200, json: bridgeJson(bridge) };
      if (sub === 'record' && method === 'POST') {
        const name = query.get('name');
        const format = query.get('format');
        if (!name || !format) return error(400, 'name and format are required');
        const exists = live.has(name) || recordings.has(name);
        if (exists && (query.get('ifExists') ?? 'fail') === 'fail') return error(409, 'Recording with this name already exists');
        live.set(name, bridge.id);
        return { status: 201, json: { name, format, target_uri: `bridge:${bridge.id}`, state: 'recording' } };
      }
    }
    if (resource === 'recordings' && id === 'live' && sub && action === 'stop' && method === 'POST') {
      if (!live.delete(sub)) return error(404, 'Recording not found');
      // The stored file: a tiny WAV-like payload, unique per recording.
      recordings.set(sub, new TextEncoder().encode(`RIFF....WAVEfmt fake recording ${sub}`));
      return { status: 204 };
    }
    if (resource === 'applications' && id && sub === 'subscription' && method === 'POST') {
      const source = query.get('eventSource');
      if (!source) return error(400, 'eventSource is required');
      const [kind, target] = source.split(':', 2);
      if (kind === 'channel' && (!target || !channels.has(target))) return error(422, 'Event source does not exist');
      const set = subscriptions.get(id) ?? new Set<string>();
      set.add(source);
      subscriptions.set(id, set);
      const ids = (prefix: string) => [...set].filter((s) => s.startsWith(prefix)).map((s) => s.slice(prefix.length));
      return {
        status: 200,
        json: {
          name: id,
          channel_ids: ids('channel:'),
          bridge_ids: ids('bridge:'),
          endpoint_ids: ids('endpoint:'),
          device_names: ids('deviceState:'),
          events_allowed: [],
          events_disallowed: [],
        },
      };
    }
    if (resource === 'recordings' && id === 'stored' && sub && method === 'GET') {
      const file = recordings.get(sub);
      if (!file) return error(404, 'Recording not found');
      if (action === 'file') return { status: 200, bytes: file, contentType: 'audio/wav' };
      if (!action) return { status: 200, json: { name: sub, format: 'wav' } };
    }
    return error(404, 'Resource not found');
  };

  return {
    channels,
    bridges,
    recordings,
    requests,
    specIssues,
    authorized(authorization, query) {
      return authorization === expected || query.get('api_key') === `${options.username}:${options.password}`;
    },
    handle(method, path, url, body) {
      const query = new URLSearchParams(url);
      if (body && typeof body === 'object')
        for (const [key, value] of Object.entries(body)) if (key !== 'variables') query.set(key, String(value));
      requests.push({ method, path, query: Object.fromEntries([...query].filter(([k]) => k !== 'api_key')) });
      const spec = options.spec;
      const checked = spec?.validateRequest(method, path, query);
      for (const issue of checked?.issues ?? []) specIssues.push({ ...issue, where: `request ${method} ${path}` });
      if (failures.length > 0) {
        const status = failures.shift()!;
        return error(status, 'Injected failure');
      }
      const response = route(method, path, query);
      if (spec && checked?.responseClass && response.status < 300 && response.json !== undefined)
        for (const issue of spec.validateModel(checked.responseClass, response.json))
          specIssues.push({ ...issue, where: `response ${method} ${path}` });
      return response;
    },
    apply(event) {
      for (const issue of options.spec?.validateEvent(event) ?? []) specIssues.push({ ...issue, where: `event ${event.type}` });
      const channel = event.channel as AriChannelFixture | undefined;
      const peer = event.peer as AriChannelFixture | undefined;
      if (event.type === 'ChannelDestroyed' && channel) channels.delete(channel.id);
      else {
        for (const c of [channel, peer])
          if (c && (channels.has(c.id) || event.type !== 'ChannelLeftBridge')) channels.set(c.id, c);
      }
      const bridge = event.bridge as { id: string; channels: string[]; creationtime: string } | undefined;
      if (bridge) {
        const existing = bridges.get(bridge.id);
        const createdAt = Date.parse(bridge.creationtime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
        if (existing) existing.channels = [...bridge.channels];
        else bridges.set(bridge.id, { id: bridge.id, channels: [...bridge.channels], createdAt });
      }
      const recording = event.recording as { name?: string } | undefined;
      if (event.type === 'RecordingFinished' && recording?.name)
        recordings.set(recording.name, new TextEncoder().encode(`RIFF....WAVEfmt fake recording ${recording.name}`));
      return event;
    },
    failNext(status, count = 1) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
  };
}

/** Epoch ms → ARI timestamp (re-exported for scripts that build their own events). */
export const ariTimestamp = formatAriTime;
