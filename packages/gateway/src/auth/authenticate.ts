import { ConfigError } from '@hmi/core';
import type { GatewayData } from '../data/types.js';
import { GatewayProblem } from '../http/problem.js';
import type { GatewayAuthOptions } from '../options.js';
import { createApiKeys } from './api-keys.js';
import { createJwtAuth } from './jwt.js';
import type { GatewayClient } from './types.js';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Builds the authenticator for a request and the key manager. @internal */
export function createAuthenticator(options: GatewayAuthOptions, data: GatewayData, now: () => number) {
  const apiKeys =
    options.apiKeys === false ? undefined : createApiKeys(data, { prefix: options.apiKeys?.prefix ?? 'hmi_live_', now });
  const jwt = options.jwt ? createJwtAuth(options.jwt, now) : undefined;
  const mtls = options.mtls;
  const custom = options.authenticate;
  if (!apiKeys && !jwt && !mtls && !custom)
    throw new ConfigError('createGateway needs at least one of auth.apiKeys, auth.jwt, auth.mtls or auth.authenticate');
  const mtlsHeader = mtls?.header.toLowerCase();

  const unauthenticated = (error?: 'invalid_token' | 'invalid_request') =>
    new GatewayProblem('unauthenticated', undefined, {
      headers: { 'www-authenticate': `Bearer realm="hmi"${error ? `, error="${error}"` : ''}` },
    });

  /** The caller, or a 401 problem. Never says which part of a credential was wrong. */
  const authenticate = async (request: Request): Promise<GatewayClient> => {
    const header = request.headers.get('authorization');
    if (header === null) {
      const subject = mtlsHeader ? request.headers.get(mtlsHeader) : null;
      if (subject && mtls && Object.hasOwn(mtls.clients, subject)) {
        const c = mtls.clients[subject]!;
        return {
          id: `mtls:${subject.slice(0, 200)}`,
          name: c.name ?? subject.slice(0, 200),
          kind: 'mtls',
          scopes: new Set(c.scopes),
          facility: c.facility,
        };
      }
      if (custom && !subject) {
        const client = await custom(request);
        if (client) return { ...client, id: `host:${client.id}`, kind: 'host', scopes: new Set(client.scopes) };
      }
      throw unauthenticated(subject ? 'invalid_token' : undefined);
    }
    const match = /^Bearer +([\x21-\x7e]{1,8192})$/i.exec(header.trim());
    if (!match) throw unauthenticated('invalid_request');
    const token = match[1]!;
    let client: GatewayClient | undefined;
    if (apiKeys?.looksLikeKey(token)) client = await apiKeys.authenticate(token);
    else if (jwt && JWT_SHAPE.test(token)) client = await jwt(token);
    if (!client) throw unauthenticated('invalid_token');
    return client;
  };

  return { authenticate, keys: apiKeys?.keys };
}
