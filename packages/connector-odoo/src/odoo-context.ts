import type { HttpClient, Telemetry } from '@hmi/core';
import type { OdooConfig } from './odoo-config.js';
import type { OdooRpc } from './odoo-rpc.js';

/** What every action and stream of the connector receives (built once per instance in `setup`). */
export interface OdooContext {
  http: HttpClient;
  /** The configured protocol behind one `call(model, method, …)`. */
  rpc: OdooRpc;
  config: OdooConfig;
  telemetry: Telemetry;
}
