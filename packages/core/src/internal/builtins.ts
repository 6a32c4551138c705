import type * as Crypto from 'node:crypto';
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Zlib from 'node:zlib';

// Node built-ins loaded on first use, not at import: `node:crypto`, `node:http(s)` and `node:zlib`
// cost ~13 ms of CPU to load, paid by every cold start of a serverless function that imports the
// core even when it never sends a request (issue 22). `process.getBuiltinModule` (Node ≥ 20.16)
// returns the same module objects a static import would, so interceptors that patch them (MSW's
// `http.request`) still see every call; Node caches them, so later calls are a map lookup.

/** `node:crypto`, loaded on first use. */
export const nodeCrypto = (): typeof Crypto => process.getBuiltinModule('node:crypto');
/** `node:http`, loaded on first use. */
export const nodeHttp = (): typeof Http => process.getBuiltinModule('node:http');
/** `node:https`, loaded on first use. */
export const nodeHttps = (): typeof Https => process.getBuiltinModule('node:https');
/** `node:zlib`, loaded on first use. */
export const nodeZlib = (): typeof Zlib => process.getBuiltinModule('node:zlib');
