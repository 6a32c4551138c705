import { randomUUID } from 'node:crypto';
import { AuthError, createTelemetry } from '@hmi/core';
import { createFhirConnector, discoverSmartConfiguration } from '@hmi/connector-fhir';
import { createFhirMemoryServer } from '@hmi/connector-fhir/msw';
import { type decodeProtectedHeader, exportJWK, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { startFetchLoopbackServer } from '@hmi/testing';

const CLIENT_ID = 'hmi-crm-backend';
const KID = 'crm-key-2025';
let server: Awaited<ReturnType<typeof startFetchLoopbackServer>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Seen {
  form: URLSearchParams;
  header: ReturnType<typeof decodeProtectedHeader>;
  payload: Record<string, unknown>;
}

/** A loopback EHR: SMART discovery, a token endpoint that verifies the client assertion, and FHIR. */
async function startEhr(alg: 'RS384' | 'ES384', options: { discovery?: boolean } = {}) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const tokens = new Set<string>();
  const seen: Seen[] = [];
  const jtis = new Set<string>();
  let fhir: ReturnType<typeof createFhirMemoryServer> | undefined;
  server = await startFetchLoopbackServer(async (request) => {
    const url = new URL(request.url);
    if (url.pathname === '/auth/token') {
      const form = new URLSearchParams(await request.text());
      const assertion = form.get('client_assertion') ?? '';
      try {
        const { payload, protectedHeader } = await jwtVerify(assertion, publicKey, {
          issuer: CLIENT_ID,
          subject: CLIENT_ID,
          audience: `${server!.url}/auth/token`,
          algorithms: [alg],
        });
        if (jtis.has(String(payload.jti))) return new Response('{"error":"invalid_client"}', { status: 400 });
        jtis.add(String(payload.jti));
        seen.push({ form, header: protectedHeader, payload: payload as Record<string, unknown> });
      } catch {
        return new Response('{"error":"invalid_client"}', { status: 401 });
      }
      const token = `at_${randomUUID()}`;
      tokens.add(token);
      return Response.json({ access_token: token, token_type: 'bearer', expires_in: 300, scope: form.get('scope') });
    }
    if (url.pathname.startsWith('/fhir/.well-known') && options.discovery === false) return new Response('', { status: 404 });
    return fhir!.handle(request);
  });
  fhir = createFhirMemoryServer({
    baseUrl: `${server.url}/fhir`,
    smartTokenEndpoint: `${server.url}/auth/token`,
    authorize: (h) => h !== null && tokens.has(h.replace(/^Bearer /, '')),
  });
  return { fhir, seen, privateKey, publicKey };
}

describe('SMART Backend Services against a loopback token endpoint', () => {
  it.each(['RS384', 'ES384'] as const)(
    '%s: discovers the token URL, signs a conforming assertion, reads with the token',
    async (alg) => {
      const ehr = await startEhr(alg);
      const pem = await exportPKCS8(ehr.privateKey);
      const telemetry = createTelemetry();
      const events: string[] = [];
      telemetry.onAny((name, payload) => events.push(`${name} ${JSON.stringify(payload)}`));
      const fhir = createFhirConnector(
        {
          baseUrl: `${server!.url}/fhir`,
          allowInsecureHttp: true,
          auth: {
            type: 'smart-backend-services',
            clientId: CLIENT_ID,
            privateKey: pem,
            algorithm: alg,
            keyId: KID,
            scope: 'system/Patient.rs',
          },
          elements: false,
        },
        { telemetry },
      );
      const contact = await fhir.actions.getPatient({ id: 'pat-sa-1' });
      expect(contact.names[0]!.text).toBe('محمد عبدالله الأحمد');
      await fhir.actions.getPatient({ id: 'pat-sa-2' });
      expect(ehr.seen).toHaveLength(1); // the token is cached
      const [{ form, header, payload }] = ehr.seen as [Seen];
      expect(form.get('grant_type')).toBe('client_credentials');
      expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      expect(form.get('scope')).toBe('system/Patient.rs');
      expect(header).toMatchObject({ alg, kid: KID, typ: 'JWT' });
      expect(payload.iss).toBe(CLIENT_ID);
      expect(payload.sub).toBe(CLIENT_ID);
      expect(payload.aud).toBe(`${server!.url}/auth/token`);
      expect(typeof payload.jti).toBe('string');
      const exp = Number(payload.exp);
      expect(exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(300);
      expect(exp).toBeGreaterThan(Math.floor(Date.now() / 1000));
      const discovery = ehr.fhir.requests.filter((r) => r.url.endsWith('/.well-known/smart-configuration'));
      expect(discovery).toHaveLength(1);
      const everything = events.join('\n');
      expect(everything).not.toContain(pem.slice(40, 80));
      expect(everything).not.toContain('at_');
      expect(everything).not.toContain('محمد');
    },
  );

  it('uses a configured tokenUrl without discovery, and a JWK private key', async () => {
    const ehr = await startEhr('ES384', { discovery: false });
    const jwk = await exportJWK(ehr.privateKey);
    const fhir = createFhirConnector({
      baseUrl: `${server!.url}/fhir`,
      allowInsecureHttp: true,
      auth: {
        type: 'smart-backend-services',
        clientId: CLIENT_ID,
        privateKey: jwk,
        algorithm: 'ES384',
        keyId: KID,
        tokenUrl: `${server!.url}/auth/token`,
      },
      elements: false,
    });
    await expect(fhir.actions.getPatient({ id: 'pat-eg-1' })).resolves.toMatchObject({ gender: 'male' });
    expect(ehr.fhir.requests.some((r) => r.url.includes('.well-known'))).toBe(false);
  });

  it('a server without SMART discovery fails with an AuthError before any FHIR call carries a token', async () => {
    const ehr = await startEhr('RS384', { discovery: false });
    const pem = await exportPKCS8(ehr.privateKey);
    const fhir = createFhirConnector({
      baseUrl: `${server!.url}/fhir`,
      allowInsecureHttp: true,
      auth: { type: 'smart-backend-services', clientId: CLIENT_ID, privateKey: pem, keyId: KID },
      elements: false,
      retry: { retries: 0 },
    });
    const error = await fhir.actions.getPatient({ id: 'pat-sa-1' }).catch((e: unknown) => e);
    expect(AuthError.isInstance(error) && error.code).toBe('smart_discovery_failed');
    expect(ehr.fhir.requests.filter((r) => !r.url.includes('.well-known'))).toHaveLength(0);
    expect(ehr.seen).toHaveLength(0);
  });

  it('a wrong key is refused by the token endpoint: AuthError, no patient data read', async () => {
    const ehr = await startEhr('RS384');
    const other = await generateKeyPair('RS384', { extractable: true });
    const fhir = createFhirConnector({
      baseUrl: `${server!.url}/fhir`,
      allowInsecureHttp: true,
      auth: { type: 'smart-backend-services', clientId: CLIENT_ID, privateKey: await exportPKCS8(other.privateKey), keyId: KID },
      elements: false,
      retry: { retries: 0 },
    });
    const error = await fhir.actions.getPatient({ id: 'pat-sa-1' }).catch((e: unknown) => e);
    expect(AuthError.isInstance(error)).toBe(true);
    expect(ehr.fhir.requests.filter((r) => r.url.includes('/Patient'))).toHaveLength(0);
  });

  it('discovery refuses an http token endpoint unless allowInsecureHttp', async () => {
    await startEhr('RS384');
    await expect(discoverSmartConfiguration(`${server!.url}/fhir`)).rejects.toThrow(/https/);
    await expect(
      discoverSmartConfiguration(`${server!.url}/fhir`, { allowInsecureHttp: true, algorithm: 'RS384' }),
    ).resolves.toMatchObject({
      token_endpoint: `${server!.url}/auth/token`,
    });
    await expect(
      discoverSmartConfiguration(`${server!.url}/fhir`, { allowInsecureHttp: true, algorithm: 'PS256' }),
    ).rejects.toThrow(/PS256/);
  });
});
