import * as core from '@hmi/core';
import * as internal from '@hmi/core/internal';
import { describe, expect, it } from 'vitest';

const MOVED = [
  'sleep',
  'backoffDelay',
  'backoffCeiling',
  'DEFAULT_RETRY',
  'Hook',
  'resolveUrl',
  'toFormBody',
  'appendQuery',
  'createRateLimiter',
  'createCircuitBreaker',
  'TokenCache',
  'assertSecureUrl',
  'createAuthStrategy',
  'isAuthStrategy',
  'toWebhookRequest',
  'isWebhookRequest',
  'collectMarkedKeys',
  'fieldMeta',
  'hmiRegistry',
  'canonicalPhiKeys',
  'scrubMessage',
  'localMinutes',
  'inQuietHours',
];

describe('the public surface of @hmi/core', () => {
  it('leaves the building blocks to @hmi/core/internal', () => {
    for (const name of MOVED) {
      expect(Object.hasOwn(core, name), name).toBe(false);
      expect(Object.hasOwn(internal, name), name).toBe(true);
    }
  });

  it('no longer has the removed names', () => {
    for (const name of ['subclassMarker', 'fhirNextLink']) {
      expect(Object.hasOwn(core, name), name).toBe(false);
      expect(Object.hasOwn(internal, name), name).toBe(false);
    }
  });

  it('keeps what host apps and connector authors use', () => {
    for (const name of [
      'createHttpClient',
      'defineConnector',
      'connectorKit',
      'createTelemetry',
      'createRedactor',
      'createConsentGate',
      'defineErrorMarker',
      'isHmiError',
      'parseRetryAfter',
      'safeVendorMessage',
      'hmac',
      'timingSafeEqualString',
      'paginateCursor',
      'phi',
      'secret',
      'HMI_METRICS',
      'metricPoints',
    ]) {
      expect(Object.hasOwn(core, name), name).toBe(true);
    }
  });
});

describe('@hmi/core/schemas', () => {
  it('has the canonical model as zod schemas, which the root entry no longer holds (types only there)', async () => {
    const schemas = await import('@hmi/core/schemas');
    for (const name of [
      'Contact',
      'ContactUpdate',
      'Consent',
      'Message',
      'Payment',
      'CallRecord',
      'Invoice',
      'Lead',
      'ConsentOptionsSchema',
    ]) {
      expect(typeof (schemas as Record<string, { safeParse?: unknown }>)[name]?.safeParse, name).toBe('function');
      expect(Object.hasOwn(core, name), name).toBe(false);
    }
    expect(core.isConsentOptions({ check: async () => true })).toBe(true);
  });
});
