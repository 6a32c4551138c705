/**
 * `@hmi/console`: the operators' browser console for hmi (integration points, dead letters with
 * replay and purge, the audit trail, live updates), in Arabic and English. A static single-page app
 * served by `@hmi/gateway` (`createGateway({ …, console: true })`) that talks to the gateway's API
 * with the user's own credential; the scopes from `GET /v1/me` decide which buttons exist.
 * @packageDocumentation
 */
export { CONSOLE_CSP, createConsoleHandler, defaultAssetsDir, type ConsoleHandlerOptions } from './handler.js';
