import { secret } from '@hmi/core';
import { z } from 'zod';

/** Static bearer token (a long-lived API token or one your own code refreshes). */
export const FhirBearerAuth = z.object({
  type: z.literal('bearer'),
  token: secret(z.string().min(1)),
});

/** HTTP Basic credentials (some on-premise EHR gateways). */
export const FhirBasicAuth = z.object({
  type: z.literal('basic'),
  username: z.string().min(1),
  password: secret(z.string().min(1)),
});

/**
 * SMART Backend Services (system-to-system): a `private_key_jwt` client assertion signed with
 * RS384 or ES384, `iss` = `sub` = client id, `aud` = token URL, `exp` ≤ 5 minutes, a fresh `jti`
 * and `kid`. The token URL is discovered from `<baseUrl>/.well-known/smart-configuration` when
 * not given.
 */
export const FhirSmartBackendAuth = z.object({
  type: z.literal('smart-backend-services'),
  clientId: z.string().min(1),
  /** PKCS#8 PEM, or a private JWK object. */
  privateKey: secret(z.union([z.string().min(1), z.record(z.string(), z.unknown())])),
  algorithm: z.union([z.literal('RS384'), z.literal('ES384')]).default('RS384'),
  /** The `kid` of the public key registered with the EHR (required by SMART). */
  keyId: z.string().min(1),
  /** Scopes to ask for, e.g. `system/Patient.rs system/Appointment.cruds`. Server default when absent. */
  scope: z.string().min(1).optional(),
  /** The token endpoint; discovered from `.well-known/smart-configuration` when absent. */
  tokenUrl: z.string().url().optional(),
});

/** How the connector authenticates to the FHIR server. */
export const FhirAuth = z.discriminatedUnion('type', [FhirBearerAuth, FhirBasicAuth, FhirSmartBackendAuth]);
/** How the connector authenticates to the FHIR server. */
export type FhirAuth = z.input<typeof FhirAuth>;

/**
 * Identifier systems (URIs) for the identifier kinds the canonical model knows. Used to recognise
 * identifiers read from FHIR and to fill `Identifier.system` on writes when the Contact has none.
 */
export const FhirIdentifierSystems = z
  .object({
    mrn: z.string().min(1),
    'national-id': z.string().min(1),
    iqama: z.string().min(1),
    passport: z.string().min(1),
    insurance: z.string().min(1),
  })
  .partial();
/** Identifier systems per canonical identifier kind. */
export type FhirIdentifierSystems = z.infer<typeof FhirIdentifierSystems>;

/** Settings of the Subscription rest-hook endpoint. */
export const FhirSubscriptionConfig = z.object({
  /**
   * A shared secret set on the Subscription's `channel.header` (e.g. `Authorization: Bearer <secret>`).
   * When set, notifications without it are refused.
   */
  secret: secret(z.string().min(8)).optional(),
  /** The header carrying the secret. Default `authorization` (value `Bearer <secret>` or the bare secret). */
  header: z.string().min(1).default('authorization'),
});

/** Configuration of the FHIR connector. */
export const FhirConfig = z.object({
  /** The FHIR R4 base URL, e.g. `https://ehr.example.org/fhir/R4`. */
  baseUrl: z.string().url(),
  auth: FhirAuth,
  /** `_count` of every search page. Default 100. */
  pageSize: z.number().int().min(1).max(1000).default(100),
  /** Region (`SA`, `AE`, `EG`) for phone numbers written without a country code. */
  defaultRegion: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .transform((s) => s.toUpperCase())
    .optional(),
  /** Permit `http://` URLs. Only for loopback tests. */
  allowInsecureHttp: z.boolean().default(false),
  /**
   * Ask only for the elements the mapping uses (`_elements`): `true` always, `false` never,
   * `'auto'` (default) when the server's CapabilityStatement lists `_elements`.
   */
  elements: z.union([z.literal('auto'), z.boolean()]).default('auto'),
  /** Identifier systems of this EHR (MRN, national ID, Iqama…). */
  identifierSystems: FhirIdentifierSystems.default({}),
  /**
   * Whether the server honours `_sort=_lastUpdated`. When false, a read yields its starting
   * checkpoint on every page but the last, so a crash mid-read can never skip records.
   */
  serverSortsByLastUpdated: z.boolean().default(true),
  /** Rest-hook Subscription settings. */
  subscription: FhirSubscriptionConfig.optional(),
  /** Per-attempt timeout in ms. Default 30 000. */
  timeoutMs: z.number().int().positive().optional(),
  /** Retry policy of the HTTP client (the core retries; the connector never loops). */
  retry: z
    .object({
      retries: z.number().int().min(0).max(10),
      minDelayMs: z.number().int().min(0),
      maxDelayMs: z.number().int().min(0),
    })
    .partial()
    .optional(),
});
/** Configuration of the FHIR connector, as written by callers. */
export type FhirConfigInput = z.input<typeof FhirConfig>;
/** Configuration of the FHIR connector, defaults applied. */
export type FhirConfig = z.output<typeof FhirConfig>;
