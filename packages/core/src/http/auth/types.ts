/** Static bearer token. */
export interface BearerAuth {
  type: 'bearer';
  token: string;
}
/** HTTP Basic credentials. */
export interface BasicAuth {
  type: 'basic';
  username: string;
  password: string;
}
/** A credential sent in a named header (API keys). */
export interface HeaderAuth {
  type: 'header';
  name: string;
  value: string;
}
/** A URL, or a function that finds it (SMART discovery) the first time it is needed. */
export type TokenUrl = string | ((signal?: AbortSignal) => Promise<string>);

/** OAuth 2.0 client-credentials grant (RFC 6749 §4.4). */
export interface OAuth2ClientCredentialsAuth {
  type: 'oauth2-client-credentials';
  tokenUrl: TokenUrl;
  clientId: string;
  clientSecret: string;
  scope?: string;
  /** How the client authenticates to the token endpoint. Default `basic` (client_secret_basic). */
  clientAuthMethod?: 'basic' | 'post';
  /** Extra form parameters for the token request (`audience`, `resource`). */
  extraParams?: Record<string, string>;
}

/**
 * A token obtained with a signed JWT (built on jose):
 * - `grant: 'client-credentials'` — SMART Backend Services / RFC 7523 client authentication:
 *   `client_credentials` with a `client_assertion` whose `iss` = `sub` = clientId, `aud` = token URL,
 *   `exp` ≤ 5 minutes ahead, a fresh `jti` and a `kid`.
 * - `grant: 'jwt-bearer'` — Google service accounts (RFC 7523 §2.1): the JWT is the grant, with
 *   `iss` = clientId (the service account email), `scope`, `aud` = token URL.
 */
export interface PrivateKeyJwtAuth {
  type: 'private-key-jwt';
  tokenUrl: TokenUrl;
  clientId: string;
  /** PKCS#8 PEM, or a private JWK object. */
  privateKey: string | Record<string, unknown>;
  algorithm: 'RS384' | 'ES384' | 'RS256' | 'ES256' | 'PS384';
  /** The key id (`kid` header). Required by SMART. */
  keyId?: string;
  scope?: string;
  /** Default `client-credentials`. */
  grant?: 'client-credentials' | 'jwt-bearer';
  /** `sub` claim for jwt-bearer (domain-wide delegation). */
  subject?: string;
  /** Assertion lifetime in seconds; at most 300 for SMART. Default 300. */
  assertionLifetimeSec?: number;
}

/** Any of the built-in auth configurations. */
export type AuthConfig = BearerAuth | BasicAuth | HeaderAuth | OAuth2ClientCredentialsAuth | PrivateKeyJwtAuth;

/**
 * What the HTTP pipeline needs from an auth method. Write your own for a vendor-specific scheme.
 */
export interface AuthStrategy {
  /** A name for telemetry (`bearer`, `oauth2-client-credentials`, …). */
  readonly name: string;
  /** Adds credentials to an outgoing request's headers. Returns the credential used (for refresh). */
  apply(headers: Headers, signal?: AbortSignal): Promise<string | undefined>;
  /**
   * Optional fast form of {@link AuthStrategy.apply} on a plain record of lower-case header names;
   * may answer synchronously when the credential is at hand. `signal` builds the request's
   * AbortSignal on demand: call it only when you must wait (fetching a token). The client prefers
   * this method when present.
   */
  applyTo?(headers: Record<string, string>, signal: () => AbortSignal): string | undefined | Promise<string | undefined>;
  /**
   * Called after a 401: get a fresh credential if `used` is still the current one. Absent for
   * static credentials, which a 401 cannot fix.
   */
  refresh?(used: string | undefined, signal?: AbortSignal): Promise<void>;
  /** Secret values to register with the redactor. */
  secrets(): string[];
}
