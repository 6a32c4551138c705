/** Who is calling: the result of authentication, on every request. */
export interface GatewayClient {
  /** A stable id: the API key id, the JWT's `client_id`/`azp`/`sub`, or the certificate subject. */
  id: string;
  /** A human name (the key's name; the JWT's client id). */
  name: string;
  kind: 'api-key' | 'jwt' | 'mtls' | 'host';
  scopes: ReadonlySet<string>;
  /** The facility the client is confined to, or undefined for a hospital-wide client. */
  facility: string | undefined;
}
