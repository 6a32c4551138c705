// `npm run demo -- --serve`: after the scenes the hospital stays up, and one @hmi/gateway with the
// operators' console (`console: true`) serves its real state — the SQLite store the scenes wrote
// (audit trail, dead letters, the website lead), the demo's integration points, an EHR that went
// down and three SMS in the dead-letter queue — on 127.0.0.1 until Ctrl-C.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createGateway, type Gateway, type IntegrationPoint } from '@hmi/gateway';
import type { Hospital } from './hospital.js';
import { type LoopbackServer, listenOnLoopback } from './loopback.js';
import type { Reporter } from './output.js';
import { LAB_RESULTS_SMS, leaveFailures, SERVE_SYNC_RETRY } from './serve-failures.js';
import { PATIENT_SYNC_ID, runPatientSync } from './scenes/register-patient.js';

/** Where the console listens unless `HMI_DEMO_PORT` says otherwise. */
export const DEFAULT_DEMO_PORT = 8787;

/**
 * The demo's two sign-ins. Fixed and published so anyone can try the console; they are accepted
 * only by this demo server, which listens on 127.0.0.1 alone. A real deployment issues keys with
 * `gateway.keys.create` (random, shown once, stored as SHA-256).
 */
export const DEMO_CONSOLE_KEYS = {
  operator: {
    key: 'hmi_demo_operator',
    name: 'demo operator (on call)',
    scopes: [
      'integrations:read',
      'integrations:run',
      'dead-letters:read',
      'dead-letters:replay',
      'dead-letters:purge',
      'audit:read',
      'events:read',
    ],
  },
  viewer: {
    key: 'hmi_demo_viewer',
    name: 'demo viewer (read only)',
    scopes: ['integrations:read', 'dead-letters:read', 'audit:read', 'events:read'],
  },
} as const;

/** The demo's integration points, as the console lists them (ids are those the scenes audit under). */
const KNOWN_POINTS: Readonly<Record<string, IntegrationPoint>> = {
  [PATIENT_SYNC_ID]: { description: 'EHR patients → CRM contacts (FHIR R4 sync)', connector: 'fhir' },
  [LAB_RESULTS_SMS]: { description: '"Results ready" SMS (outbox → Twilio)', connector: 'twilio' },
  'webhook:stripe': { description: 'Stripe payment webhooks → CRM payments', connector: 'stripe' },
  'webhook:moyasar': { description: 'Moyasar (mada) payment webhooks → CRM payments', connector: 'moyasar' },
  'gateway:riyadh': { description: 'Website leads through the gateway (Riyadh)', connector: 'gateway', facility: 'riyadh' },
};

/** The port from `HMI_DEMO_PORT` (0: a free one), or {@link DEFAULT_DEMO_PORT}. */
export function demoPort(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.HMI_DEMO_PORT;
  if (value === undefined || value === '') return DEFAULT_DEMO_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new Error(`HMI_DEMO_PORT must be a port number (0-65535), not "${value}"`);
  return port;
}

/**
 * Builds the console's page (esbuild, well under a second) when the console is a source checkout,
 * so `--serve` never shows a page older than the code; an installed `@hmi/console` ships it built.
 */
export async function buildConsolePage(): Promise<void> {
  const packageDir = dirname(createRequire(import.meta.url).resolve('@hmi/console/package.json'));
  const script = join(packageDir, 'scripts', 'build-app.mjs');
  if (!existsSync(script)) return;
  const { buildApp } = (await import(pathToFileURL(script).href)) as { buildApp(): Promise<string> };
  await buildApp();
}

/**
 * Lets the fixed demo keys in: a request bearing one is passed on with the real key the gateway
 * issued for it, so scopes, 403s and the audit trail are the gateway's own.
 */
function withDemoKeys(gateway: Gateway, issued: ReadonlyMap<string, string>): (request: Request) => Promise<Response> {
  return (request) => {
    const presented = /^Bearer +(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const real = presented === undefined ? undefined : issued.get(presented);
    if (real === undefined) return gateway(request);
    const headers = new Headers(request.headers);
    headers.set('authorization', `Bearer ${real}`);
    return gateway(new Request(request, { headers }));
  };
}

/** Every integration point the scenes left records for, described when the demo knows it. */
async function integrationPoints(h: Hospital): Promise<Record<string, IntegrationPoint>> {
  const audited = new Set((await h.store.queryAudit({ limit: 10_000 })).map((r) => r.integrationPoint));
  // `gateway` holds the gateway's own API calls (listing, auditing), not a flow.
  audited.delete('gateway');
  const points: Record<string, IntegrationPoint> = {};
  for (const [id, point] of Object.entries(KNOWN_POINTS)) if (audited.delete(id)) points[id] = point;
  for (const id of audited) points[id] = {};
  points[PATIENT_SYNC_ID] = {
    ...KNOWN_POINTS[PATIENT_SYNC_ID],
    // "Run now" in the console: one more run against the EHR (down while serving, so it fails).
    run: ({ signal }) => runPatientSync(h, { signal, retry: SERVE_SYNC_RETRY }),
  };
  return points;
}

/** The console being served. */
export interface ServedConsole {
  /** `http://127.0.0.1:<port>` (the gateway's API is under `/v1`). */
  readonly url: string;
  /** `<url>/console/`. */
  readonly consoleUrl: string;
  readonly gateway: Gateway;
  /** Integration points served. */
  readonly points: readonly string[];
  /** The dead letters left for the console. */
  readonly deadLetters: readonly string[];
  /** Stops the server, the gateway and the SMS worker; the hospital is the caller's to close. */
  close(): Promise<void>;
}

/** Leaves the serve-mode failures in place and serves the gateway with the console on loopback. */
export async function serveConsole(
  h: Hospital,
  options: { port?: number; report: Reporter; buildPage?: boolean },
): Promise<ServedConsole> {
  if (options.buildPage !== false) await buildConsolePage();
  const failures = await leaveFailures(h, options.report);
  let server: LoopbackServer | undefined;
  let gateway: Gateway | undefined;
  try {
    const integrations = await integrationPoints(h);
    gateway = createGateway({
      store: h.store,
      auth: {},
      console: true,
      flow: { telemetry: h.telemetry, integrations, onReplay: () => failures.worker.notify() },
    });
    const issued = new Map<string, string>();
    for (const { key, name, scopes } of Object.values(DEMO_CONSOLE_KEYS))
      issued.set(key, (await gateway.keys.create({ name, scopes })).key);
    server = await listenOnLoopback(withDemoKeys(gateway, issued), options.port ?? DEFAULT_DEMO_PORT);
    const live = { server, gateway };
    return {
      url: server.url,
      consoleUrl: `${server.url}/console/`,
      gateway,
      points: Object.keys(integrations),
      deadLetters: failures.deadLetters,
      async close() {
        await live.server.close();
        await live.gateway.close();
        await failures.close();
      },
    };
  } catch (error) {
    await server?.close();
    await gateway?.close();
    await failures.close();
    throw error;
  }
}

/** What `--serve` prints once the console is up: where it is, the keys, and what to look at. */
export function describeServedConsole(served: ServedConsole): string[] {
  const { operator, viewer } = DEMO_CONSOLE_KEYS;
  return [
    `hmi console: ${served.consoleUrl}`,
    `  gateway API ${served.url}/v1 (OpenAPI at ${served.url}/openapi.json)`,
    `  operator key  ${operator.key}  (replay, purge, run: ${operator.scopes.join(' ')})`,
    `  viewer key    ${viewer.key}    (read only: ${viewer.scopes.join(' ')})`,
    '  Demo keys: fixed and public, accepted only by this demo server on 127.0.0.1.',
    `  ${served.points.length} integration points; the EHR sync is failing (EHR down), ${served.deadLetters.length} SMS wait in the dead-letter queue.`,
    'Serving until Ctrl-C.',
  ];
}
