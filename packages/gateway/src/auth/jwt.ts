import { ConfigError } from '@hmi/core';
import { createLocalJWKSet, createRemoteJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { GatewayProblem } from '../http/problem.js';
import { parseScopeClaim } from './scopes.js';
import type { GatewayClient } from './types.js';

// The two jose types of the options are restated here rather than imported: jose is ESM-only, so
// the package's CommonJS declarations importing it fail to typecheck in an app with
// `moduleResolution: node16` and `skipLibCheck: false` (TS1479). jose's own values fit them.

/** A JSON Web Key Set (RFC 7517 §5): `{ keys: [jwk, …] }`, as the server publishes it (jose's `JSONWebKeySet` fits). */
export interface JwksDocument {
  keys: readonly object[];
}

/**
 * A key getter such as jose's `createRemoteJWKSet(url)` or `createLocalJWKSet(jwks)` (a
 * `JWTVerifyGetKey`): called by jose with the token's protected header and the token, it returns
 * the key to verify with.
 */
export type JwtKeyGetter = (protectedHeader: never, token: never) => unknown;

/** OAuth 2.0 client-credentials access tokens (JWTs) from the hospital's authorization server. */
export interface JwtAuthOptions {
  /** The JWKS: its URL (fetched and cached by jose), a key set, or a jose key getter. */
  jwks: URL | string | JwksDocument | JwtKeyGetter;
  /** Required `iss`. */
  issuer: string | readonly string[];
  /** Required `aud`: the gateway's own identifier. */
  audience: string | readonly string[];
  /** Tolerated clock difference in seconds for `exp`/`nbf`/`iat`. Default 30. */
  clockToleranceSec?: number;
  /** The claim holding the facility. Default `facility`. */
  facilityClaim?: string;
  /** Accepted algorithms. Default RS256, PS256, ES256, EdDSA (never `none` or HMAC). */
  algorithms?: readonly string[];
  /**
   * Refuse tokens issued longer ago than this many seconds (needs an `iat` claim). Off by default:
   * `iat` is optional in RFC 7519 and `exp` already bounds a token's life.
   */
  maxTokenAgeSec?: number;
}

/** Creates the JWT authenticator. */
export function createJwtAuth(options: JwtAuthOptions, now: () => number) {
  const keySource = options.jwks;
  let getKey: JWTVerifyGetKey;
  if (typeof keySource === 'function') getKey = keySource as JWTVerifyGetKey;
  else if (typeof keySource === 'string' || keySource instanceof URL) getKey = createRemoteJWKSet(new URL(String(keySource)));
  else if (keySource && Array.isArray((keySource as JwksDocument).keys))
    getKey = createLocalJWKSet(keySource as unknown as JSONWebKeySet);
  else throw new ConfigError('auth.jwt.jwks must be a URL, a JWKS or a key getter');
  const facilityClaim = options.facilityClaim ?? 'facility';
  const algorithms = [...(options.algorithms ?? ['RS256', 'PS256', 'ES256', 'EdDSA'])];

  return async (token: string): Promise<GatewayClient | undefined> => {
    try {
      const { payload } = await jwtVerify(token, getKey, {
        issuer: options.issuer as string | string[],
        audience: options.audience as string | string[],
        clockTolerance: options.clockToleranceSec ?? 30,
        currentDate: new Date(now()),
        algorithms,
        requiredClaims: ['exp'],
        ...(options.maxTokenAgeSec !== undefined && { maxTokenAge: options.maxTokenAgeSec }),
      });
      const clientId = [payload.client_id, payload.azp, payload.sub].find(
        (v): v is string => typeof v === 'string' && v.length > 0,
      );
      if (!clientId) return undefined;
      const facility = payload[facilityClaim];
      return {
        id: `jwt:${clientId.slice(0, 200)}`,
        name: clientId.slice(0, 200),
        kind: 'jwt',
        // `scope` (RFC 8693, space-separated); `scp` as some providers (Entra ID, Okta) send it.
        scopes: new Set(parseScopeClaim(payload.scope ?? payload.scp)),
        facility: typeof facility === 'string' && facility.length > 0 ? facility : undefined,
      };
    } catch (error) {
      // Any verification failure is a plain 401; a JWKS that cannot be fetched is ours to fix.
      if (error instanceof errors.JWKSTimeout) throw new GatewayProblem('unavailable', 'the signing keys cannot be fetched now');
      return undefined;
    }
  };
}
