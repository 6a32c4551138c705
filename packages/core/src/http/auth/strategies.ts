import { nodeCrypto } from '../../internal/builtins.js';
import { ConfigError } from '../../errors/errors.js';
import { loadJose } from './optional-module.js';
import { TokenCache, type TokenCacheOptions } from './token-cache.js';
import { requestToken, type TokenEndpointContext, tokenUrlResolver } from './token-endpoint.js';
import type { AuthConfig, AuthStrategy, OAuth2ClientCredentialsAuth, PrivateKeyJwtAuth } from './types.js';

function staticStrategy(name: string, headerName: string, headerValue: string, secrets: string[]): AuthStrategy {
  const lower = headerName.toLowerCase();
  return {
    name,
    apply: async (headers) => {
      headers.set(headerName, headerValue);
      return headerValue;
    },
    applyTo: (headers) => {
      headers[lower] = headerValue;
      return headerValue;
    },
    secrets: () => secrets,
  };
}

function cacheOptions(ctx: TokenEndpointContext): TokenCacheOptions {
  return ctx.onTokenFetch ? { onFetch: ctx.onTokenFetch } : {};
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigError(`auth.${field} is required`, {
      issues: [{ path: ['auth', field], code: 'invalid_type', message: 'expected a non-empty string' }],
    });
  }
  return value;
}

function tokenStrategy(name: string, cache: TokenCache, extraSecrets: string[], tokens: Set<string>): AuthStrategy {
  return {
    name,
    apply: async (headers, signal) => {
      const token = await cache.get(signal);
      tokens.add(token);
      headers.set('authorization', `Bearer ${token}`);
      return token;
    },
    applyTo: (headers, signal) => {
      const cached = cache.peek();
      if (cached !== undefined) {
        headers.authorization = `Bearer ${cached}`;
        return cached;
      }
      return cache.get(signal()).then((token) => {
        tokens.add(token);
        headers.authorization = `Bearer ${token}`;
        return token;
      });
    },
    refresh: (used, signal) => cache.refresh(used, signal),
    secrets: () => [...extraSecrets, ...tokens],
  };
}

function clientCredentials(
  config: OAuth2ClientCredentialsAuth,
  ctx: TokenEndpointContext,
  onToken: (t: string) => void,
): AuthStrategy {
  const clientId = requireString(config.clientId, 'clientId');
  const clientSecret = requireString(config.clientSecret, 'clientSecret');
  const tokenUrl = tokenUrlResolver(config.tokenUrl, ctx);
  const tokens = new Set<string>();
  const cache = new TokenCache(async (signal) => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...config.extraParams });
    if (config.scope) form.set('scope', config.scope);
    const headers: Record<string, string> = {};
    if (config.clientAuthMethod === 'post') {
      form.set('client_id', clientId);
      form.set('client_secret', clientSecret);
    } else {
      const encode = (s: string) => encodeURIComponent(s);
      headers.authorization = `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
    }
    const token = await requestToken(await tokenUrl(signal), form, headers, ctx, signal);
    onToken(token.value);
    return token;
  }, cacheOptions(ctx));
  return tokenStrategy('oauth2-client-credentials', cache, [clientSecret], tokens);
}

function privateKeyJwt(config: PrivateKeyJwtAuth, ctx: TokenEndpointContext, onToken: (t: string) => void): AuthStrategy {
  const clientId = requireString(config.clientId, 'clientId');
  if (!config.privateKey) requireString(undefined, 'privateKey');
  const lifetime = Math.min(config.assertionLifetimeSec ?? 300, config.grant === 'jwt-bearer' ? 3600 : 300);
  const tokenUrl = tokenUrlResolver(config.tokenUrl, ctx);
  const tokens = new Set<string>();
  let keyPromise: Promise<CryptoKey | Uint8Array> | undefined;
  const loadKey = async () => {
    const jose = await loadJose();
    return typeof config.privateKey === 'string'
      ? jose.importPKCS8(config.privateKey, config.algorithm)
      : (jose.importJWK(config.privateKey as never, config.algorithm) as Promise<CryptoKey | Uint8Array>);
  };
  const cache = new TokenCache(async (signal) => {
    // jose is an optional peer dependency: loaded here only, so bearer-only connectors never need it.
    const jose = await loadJose();
    keyPromise ??= loadKey().catch((error: unknown) => {
      keyPromise = undefined;
      throw new ConfigError('auth.privateKey could not be imported for the algorithm given', { cause: error });
    });
    const key = await keyPromise;
    const url = await tokenUrl(signal);
    const now = Math.floor(Date.now() / 1000);
    const jwt = new jose.SignJWT(config.grant === 'jwt-bearer' && config.scope ? { scope: config.scope } : {})
      .setProtectedHeader({ alg: config.algorithm, typ: 'JWT', ...(config.keyId && { kid: config.keyId }) })
      .setIssuer(clientId)
      .setAudience(url)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetime)
      .setJti(nodeCrypto().randomUUID());
    if (config.grant === 'jwt-bearer') {
      if (config.subject) jwt.setSubject(config.subject);
    } else {
      jwt.setSubject(clientId);
    }
    const assertion = await jwt.sign(key);
    const form =
      config.grant === 'jwt-bearer'
        ? new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion })
        : new URLSearchParams({
            grant_type: 'client_credentials',
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: assertion,
            ...(config.scope && { scope: config.scope }),
          });
    const token = await requestToken(url, form, {}, ctx, signal);
    onToken(token.value);
    return token;
  }, cacheOptions(ctx));
  const keySecret =
    typeof config.privateKey === 'string'
      ? [config.privateKey]
      : // The private members of an RSA or EC JWK.
        ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']
          .map((member) => (config.privateKey as Record<string, unknown>)[member])
          .filter((v): v is string => typeof v === 'string');
  return tokenStrategy('private-key-jwt', cache, keySecret, tokens);
}

/** Whether a value is a ready-made {@link AuthStrategy} rather than a config object. */
export function isAuthStrategy(value: unknown): value is AuthStrategy {
  return typeof value === 'object' && value !== null && typeof (value as AuthStrategy).apply === 'function';
}

/**
 * Builds the strategy for an auth config. `onToken` is told every token obtained at run time so
 * the redactor can remove it from anything emitted.
 */
export function createAuthStrategy(
  config: AuthConfig | AuthStrategy,
  ctx: TokenEndpointContext,
  onToken: (token: string) => void = () => {},
): AuthStrategy {
  if (isAuthStrategy(config)) return config;
  switch (config.type) {
    case 'bearer': {
      const token = requireString(config.token, 'token');
      return staticStrategy('bearer', 'authorization', `Bearer ${token}`, [token]);
    }
    case 'basic': {
      const username = requireString(config.username, 'username');
      const password = typeof config.password === 'string' ? config.password : requireString(undefined, 'password');
      const encoded = Buffer.from(`${username}:${password}`).toString('base64');
      return staticStrategy('basic', 'authorization', `Basic ${encoded}`, [password, encoded]);
    }
    case 'header': {
      const name = requireString(config.name, 'name');
      const value = requireString(config.value, 'value');
      return staticStrategy('header', name, value, [value]);
    }
    case 'oauth2-client-credentials':
      return clientCredentials(config, ctx, onToken);
    case 'private-key-jwt':
      return privateKeyJwt(config, ctx, onToken);
    default:
      throw new ConfigError('auth.type is not one of bearer, basic, header, oauth2-client-credentials, private-key-jwt', {
        issues: [{ path: ['auth', 'type'], code: 'invalid_value', message: 'value not allowed' }],
      });
  }
}
