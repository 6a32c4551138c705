import type { HttpClient, Telemetry, TelemetryContext } from '@hmi/core';
import type { OdooConfig } from './odoo-config.js';
import { randomUUID } from 'node:crypto';
import { type OdooRpc, withCallId } from './odoo-rpc.js';

declare module '@hmi/core' {
  interface TelemetryEventMap {
    /**
     * `ir.model.data` is not usable by this user (no rights, or no such model): external ids are
     * neither read nor written, and the writes stay idempotent by `ref` and payment memo alone.
     */
    'odoo:external-ids-unavailable': TelemetryContext & { model: string; errorCode: string };
  }
}

/** What every action and stream of the connector receives (built once per instance in `setup`). */
export interface OdooContext {
  http: HttpClient;
  /** The configured protocol behind one `call(model, method, …)`. */
  rpc: OdooRpc;
  config: OdooConfig;
  telemetry: Telemetry;
}

/**
 * The context for one logical call: every request it makes carries the same call id — the
 * caller's idempotency key when there is one.
 */
export function forCall(ctx: OdooContext, callId: string | undefined): OdooContext {
  return { ...ctx, rpc: withCallId(ctx.rpc, callId ?? randomUUID()) };
}
