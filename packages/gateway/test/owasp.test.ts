// The OWASP API Security Top 10 (2023), item by item, against the Fetch handler.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createMemoryGatewayData } from '../src/index.js';
import { ALL_SCOPES, setup } from './helpers.js';

const ISSUER = 'https://idp.example-hospital.sa';
const AUDIENCE = 'https://crm.example-hospital.sa/api';

async function jwtSetup(overrides = {}) {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
  const env = await setup({ auth: { jwt: { jwks: { keys: [jwk] }, issuer: ISSUER, audience: AUDIENCE } }, ...overrides });
  const sign = (
    claims: Record<string, unknown>,
    opts: { exp?: number; iat?: number; aud?: string; iss?: string; key?: CryptoKey } = {},
  ) => {
    const nowSec = Math.floor(env.clock.now() / 1000);
    return new SignJWT({ scope: 'contacts:read', client_id: 'erp', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(opts.iss ?? ISSUER)
      .setAudience(opts.aud ?? AUDIENCE)
      .setIssuedAt(opts.iat ?? nowSec)
      .setExpirationTime(opts.exp ?? nowSec + 300)
      .sign(opts.key ?? privateKey);
  };
  return { ...env, sign, privateKey };
}

describe('API1 broken object level authorization', () => {
  it("answers 404, exactly like a missing id, for another facility's objects", async () => {
    const { gateway, call, json } = await setup();
    const riyadh = (await gateway.keys.create({ name: 'r', scopes: ALL_SCOPES, facility: 'riyadh' })).key;
    const jeddah = (await gateway.keys.create({ name: 'j', scopes: ALL_SCOPES, facility: 'jeddah' })).key;
    const { contact } = await json(await call('POST', '/v1/leads', { key: riyadh, body: { phone: '+966555123456' } }));
    const foreign = await call('GET', `/v1/contacts/${contact.id}`, { key: jeddah });
    const missing = await call('GET', '/v1/contacts/ct_doesnotexist', { key: jeddah });
    expect(foreign.status).toBe(404);
    const [a, b] = [await json(foreign), await json(missing)];
    expect({ ...a, instance: undefined }).toEqual({ ...b, instance: undefined });
    expect((await call('PUT', `/v1/contacts/${contact.id}`, { key: jeddah, body: {} })).status).toBe(404);
    const consent = { contactId: contact.id, channel: 'sms', purpose: 'marketing', status: 'granted', source: 'x' };
    expect((await call('POST', '/v1/consents', { key: jeddah, body: consent })).status).toBe(404);
    const message = { contactId: contact.id, channel: 'sms', purpose: 'transactional', body: 'hi' };
    expect((await call('POST', '/v1/messages', { key: jeddah, body: message })).status).toBe(404);
    // The owner and a hospital-wide client see it.
    expect((await call('GET', `/v1/contacts/${contact.id}`, { key: riyadh })).status).toBe(200);
    expect((await call('GET', `/v1/contacts/${contact.id}`)).status).toBe(200);
  });

  it("hides another facility's dead letters and integration points", async () => {
    const { gateway, store, call, json } = await setup({
      flow: { integrations: { 'ehr-riyadh': { facility: 'riyadh' }, 'ehr-jeddah': { facility: 'jeddah' } } },
    });
    await store.enqueue([{ id: 'item-r', topic: 't', payload: {}, integrationPoint: 'ehr-riyadh' }]);
    const [claimed] = await store.claim({ limit: 1, leaseMs: 1000 });
    await store.moveToDlq(claimed!.id, claimed!.leaseToken, {
      name: 'ApiError',
      code: 'api_error',
      message: 'x',
      retryable: false,
    } as never);
    const jeddah = (await gateway.keys.create({ name: 'j', scopes: ALL_SCOPES, facility: 'jeddah' })).key;
    expect((await json(await call('GET', '/v1/dead-letters', { key: jeddah }))).items).toEqual([]);
    expect((await call('GET', '/v1/dead-letters/item-r', { key: jeddah })).status).toBe(404);
    expect((await call('POST', '/v1/dead-letters/item-r/replay', { key: jeddah })).status).toBe(404);
    expect((await store.getItem('item-r'))?.status).toBe('dead');
    expect((await json(await call('GET', '/v1/integrations', { key: jeddah }))).items.map((p: { id: string }) => p.id)).toEqual([
      'ehr-jeddah',
    ]);
    expect((await call('POST', '/v1/integrations/ehr-riyadh/runs', { key: jeddah })).status).toBe(404);
  });
});

describe('API2 broken authentication', () => {
  it('refuses missing, malformed and wrong credentials with 401 and WWW-Authenticate', async () => {
    const { gateway, call, json, admin } = await setup();
    const none = await call('GET', '/v1/me', { key: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="hmi"');
    expect(none.headers.get('content-type')).toBe('application/problem+json');
    expect((await json(none)).type).toBe('urn:hmi:problem:unauthenticated');
    const wrongSecret = admin.slice(0, -4) + (admin.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const key of [wrongSecret, 'hmi_live_x', 'not-a-key', 'a.b.c', `${admin} extra`]) {
      const res = await call('GET', '/v1/me', { key });
      expect(res.status, key).toBe(401);
    }
    const basic = await gateway(new Request('http://gw.test/v1/me', { headers: { authorization: 'Basic YTpi' } }));
    expect(basic.status).toBe(401);
  });

  it('stores only hashes, and revoked, expired and rotated keys stop working', async () => {
    const data = createMemoryGatewayData();
    const { gateway, call, clock } = await setup({ data });
    const issued = await gateway.keys.create({ name: 'website', scopes: ['leads:write'] });
    expect(issued.key).toMatch(/^hmi_live_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    const stored = await data.getKey(issued.id);
    expect(JSON.stringify(stored)).not.toContain(issued.key.split('_').at(-1));
    expect(await gateway.keys.get(issued.id)).not.toHaveProperty('hash');

    const rotated = await gateway.keys.rotate(issued.id, { overlapMs: 60_000 });
    expect((await call('GET', '/v1/me', { key: issued.key })).status).toBe(200);
    expect((await call('GET', '/v1/me', { key: rotated.key })).status).toBe(200);
    clock.advance(60_000);
    expect((await call('GET', '/v1/me', { key: issued.key })).status).toBe(401);
    expect((await call('GET', '/v1/me', { key: rotated.key })).status).toBe(200);
    await gateway.keys.revoke(rotated.id);
    expect((await call('GET', '/v1/me', { key: rotated.key })).status).toBe(401);

    const shortLived = await gateway.keys.create({ name: 'temp', scopes: [], expiresAt: clock.now() + 1000 });
    expect((await call('GET', '/v1/me', { key: shortLived.key })).status).toBe(200);
    clock.advance(1000);
    expect((await call('GET', '/v1/me', { key: shortLived.key })).status).toBe(401);
  });

  it('verifies JWTs: signature, issuer, audience, expiry with clock skew, scopes and facility claims', async () => {
    const { call, json, sign, clock, privateKey } = await jwtSetup();
    const nowSec = Math.floor(clock.now() / 1000);
    const good = await sign({ scope: 'contacts:read audit:read', facility: 'riyadh' });
    const me = await json(await call('GET', '/v1/me', { key: good }));
    expect(me).toMatchObject({
      client: { id: 'jwt:erp', kind: 'jwt' },
      scopes: ['audit:read', 'contacts:read'],
      facility: 'riyadh',
    });

    const skewed = await sign({}, { exp: nowSec - 10, iat: nowSec - 300 });
    expect((await call('GET', '/v1/me', { key: skewed })).status).toBe(200);
    const expired = await sign({}, { exp: nowSec - 120, iat: nowSec - 400 });
    expect((await call('GET', '/v1/me', { key: expired })).status).toBe(401);
    expect((await call('GET', '/v1/me', { key: await sign({}, { aud: 'https://other.example' }) })).status).toBe(401);
    expect((await call('GET', '/v1/me', { key: await sign({}, { iss: 'https://evil.example' }) })).status).toBe(401);
    const other = await generateKeyPair('ES256');
    expect((await call('GET', '/v1/me', { key: await sign({}, { key: other.privateKey }) })).status).toBe(401);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ iss: ISSUER, aud: AUDIENCE, exp: nowSec + 60, client_id: 'x', scope: 'audit:read' }),
    ).toString('base64url')}.`;
    expect((await call('GET', '/v1/me', { key: unsigned })).status).toBe(401);
    const scp = await sign({ scope: undefined, scp: ['audit:read', 'contacts:read'] });
    expect((await json(await call('GET', '/v1/me', { key: scp }))).scopes).toEqual(['audit:read', 'contacts:read']);
    // `iat` is optional; `exp` is not.
    const noIat = await new SignJWT({ client_id: 'erp' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime(nowSec + 60)
      .sign(privateKey);
    expect((await call('GET', '/v1/me', { key: noIat })).status).toBe(200);
    const noExp = await new SignJWT({ client_id: 'erp' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(privateKey);
    expect((await call('GET', '/v1/me', { key: noExp })).status).toBe(401);
    expect((await call('GET', '/v1/audit', { key: good })).status).toBe(200);
  });

  it('takes the facility from a configurable claim and mTLS identity from the trusted header', async () => {
    const env = await setup({
      auth: {
        mtls: {
          header: 'x-client-cert-subject',
          clients: { 'CN=erp.hospital': { scopes: ['integrations:read'], facility: 'dammam' } },
        },
      },
    });
    const me = await env.json(
      await env.call('GET', '/v1/me', { key: null, headers: { 'x-client-cert-subject': 'CN=erp.hospital' } }),
    );
    expect(me).toMatchObject({ client: { kind: 'mtls' }, facility: 'dammam', scopes: ['integrations:read'] });
    expect((await env.call('GET', '/v1/me', { key: null, headers: { 'x-client-cert-subject': 'CN=unknown' } })).status).toBe(401);

    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k', alg: 'ES256' };
    const j = await setup({
      auth: { jwt: { jwks: { keys: [jwk] }, issuer: ISSUER, audience: AUDIENCE, facilityClaim: 'https://hospital/facility' } },
    });
    const token = await new SignJWT({ sub: 'bi', scope: 'audit:read', 'https://hospital/facility': 'khobar' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(j.clock.now() / 1000))
      .setExpirationTime(Math.floor(j.clock.now() / 1000) + 60)
      .sign(privateKey);
    expect((await j.json(await j.call('GET', '/v1/me', { key: token }))).facility).toBe('khobar');
  });
});

describe('host sign-in', () => {
  it("asks the host's authenticate hook only for requests without Authorization", async () => {
    const seen: string[] = [];
    const { call, json } = await setup({
      auth: {
        authenticate: (request) => {
          seen.push(request.url);
          return request.headers.get('cookie') === 'session=ok'
            ? { id: 'nurse-7', name: 'Nurse 7', kind: 'host', scopes: new Set(['dead-letters:read']), facility: 'riyadh' }
            : undefined;
        },
      },
    });
    const me = await json(await call('GET', '/v1/me', { key: null, headers: { cookie: 'session=ok' } }));
    expect(me).toMatchObject({
      client: { id: 'host:nurse-7', kind: 'host' },
      facility: 'riyadh',
      operations: ['listDeadLetters', 'getDeadLetter', 'getMe'],
    });
    expect((await call('GET', '/v1/me', { key: null, headers: { cookie: 'session=forged' } })).status).toBe(401);
    // A bad bearer credential is not rescued by a session.
    expect((await call('GET', '/v1/me', { key: 'hmi_live_bad', headers: { cookie: 'session=ok' } })).status).toBe(401);
    expect(seen).toHaveLength(2);
  });
});

describe('API3 broken object property level authorization', () => {
  it('refuses unknown and privileged fields instead of ignoring or applying them', async () => {
    const { gateway, call, json } = await setup();
    const res = await call('POST', '/v1/leads', { body: { phone: '+966555123456', isAdmin: true, scopes: ['audit:read'] } });
    expect(res.status).toBe(400);
    expect((await json(res)).errors).toEqual([{ pointer: '/', code: 'unrecognized_keys' }]);
    // Nothing was created: the same phone now makes a new contact.
    expect((await json(await call('POST', '/v1/leads', { body: { phone: '+966555123456' } }))).created).toBe(true);
    const confined = (await gateway.keys.create({ name: 'r', scopes: ['leads:write', 'contacts:write'], facility: 'riyadh' }))
      .key;
    const other = await call('POST', '/v1/leads', { key: confined, body: { phone: '+966555123456', facility: 'jeddah' } });
    expect(other.status).toBe(400);
    expect((await json(other)).errors).toEqual([{ pointer: '/facility', code: 'privileged_field' }]);
    const { contact } = await json(await call('POST', '/v1/leads', { key: confined, body: { phone: '+966555123456' } }));
    for (const field of ['id', 'facility', 'createdAt']) {
      const put = await call('PUT', `/v1/contacts/${contact.id}`, { key: confined, body: { [field]: 'x' } });
      expect(put.status, field).toBe(400);
    }
    const queryExtra = await call('GET', '/v1/audit?admin=true');
    expect(queryExtra.status).toBe(400);
  });
});

describe('API4 unrestricted resource consumption', () => {
  it('refuses oversized bodies, declared or streamed', async () => {
    const { gateway, admin, call } = await setup({ limits: { maxBodyBytes: 1024 } });
    const big = JSON.stringify({ phone: '+966555123456', name: 'x'.repeat(2000) });
    expect((await call('POST', '/v1/leads', { raw: big })).status).toBe(413);
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode(' '.repeat(200)));
        c.close();
      },
    });
    const streamed = await gateway(
      new Request('http://gw.test/v1/leads', {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: chunks,
        duplex: 'half',
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
  });

  it('refuses pages over the limit', async () => {
    const { call, json } = await setup({ limits: { maxPageSize: 50 } });
    for (const path of ['/v1/audit?limit=51', '/v1/dead-letters?limit=100000', '/v1/audit?limit=-1', '/v1/audit?limit=abc']) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(400);
      expect((await json(res)).errors[0].pointer).toBe('/query/limit');
    }
    expect((await call('GET', '/v1/audit?limit=50')).status).toBe(200);
  });

  it('limits each client with RateLimit headers, 429 and Retry-After, per window', async () => {
    const { gateway, call, clock } = await setup({ limits: { rateLimit: { requests: 5, windowMs: 60_000 } } });
    const other = (await gateway.keys.create({ name: 'other', scopes: [] })).key;
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 8; i++) {
      last = await call('GET', '/v1/me');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(last!.headers.get('retry-after')).toBe('60');
    expect(last!.headers.get('ratelimit-policy')).toBe('"default";q=5;w=60');
    expect(last!.headers.get('ratelimit')).toBe('"default";r=0;t=60');
    expect((await call('GET', '/v1/me', { key: other })).status).toBe(200);
    clock.advance(60_000);
    const again = await call('GET', '/v1/me');
    expect(again.status).toBe(200);
    expect(again.headers.get('ratelimit')).toBe('"default";r=4;t=60');
  });
});

describe('API5 broken function level authorization', () => {
  it('answers 403 insufficient_scope for operations outside the scopes', async () => {
    const { gateway, call, json } = await setup({
      flow: { integrations: { 'ehr-sync': { run: async () => {} }, erp: { run: async () => {} } } },
    });
    const reader = (await gateway.keys.create({ name: 'bi', scopes: ['contacts:read', 'integrations:run:ehr-sync'] })).key;
    const { contact } = await json(await call('POST', '/v1/leads', { body: { phone: '+966555123456' } }));
    const cases: Array<[string, string, unknown?]> = [
      ['POST', '/v1/leads', { phone: '+966555123456' }],
      ['PUT', `/v1/contacts/${contact.id}`, {}],
      ['GET', '/v1/audit'],
      ['GET', '/v1/dead-letters'],
      ['POST', '/v1/dead-letters/x/replay'],
      ['GET', '/v1/events'],
      ['POST', '/v1/integrations/erp/runs'],
    ];
    for (const [method, path, body] of cases) {
      const res = await call(method, path, { key: reader, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    }
    expect((await call('POST', '/v1/integrations/ehr-sync/runs', { key: reader })).status).toBe(202);
    expect((await json(await call('GET', '/v1/me', { key: reader }))).operations).toEqual([
      'getContact',
      'runIntegration',
      'getMe',
    ]);
  });
});

describe('API8 security misconfiguration', () => {
  it('sends problem+json with safe headers, 405 with Allow, and no stack or input in errors', async () => {
    const { call, json } = await setup();
    const res = await call('DELETE', '/v1/leads');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const missing = await call('GET', '/v1/<script>alert(1)</script>');
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain('script');
    const badJson = await call('POST', '/v1/leads', { raw: '{"phone":"CANARY-12345' });
    expect(badJson.status).toBe(400);
    const text = await badJson.text();
    expect(text).not.toContain('CANARY');
    expect(badJson.headers.get('x-content-type-options')).toBe('nosniff');
    expect(badJson.headers.get('cache-control')).toBe('no-store');
    const wrongType = await call('POST', '/v1/leads', {
      raw: 'phone=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.status).toBe(415);
    const enumValue = await call('POST', '/v1/consents', {
      body: { contactId: 'ct_1', channel: 'CANARY-CHANNEL', purpose: 'marketing', status: 'granted', source: 'x' },
    });
    expect(JSON.stringify(await json(enumValue))).not.toContain('CANARY');
  });

  it('answers 500 without internals when its data store throws', async () => {
    const errors: unknown[] = [];
    const data = createMemoryGatewayData();
    const { call, json } = await setup({
      data: { ...data, getContact: async () => Promise.reject(new Error('db password=hunter2 at 10.0.0.5')) },
      onError: (e) => errors.push(e),
    });
    const res = await call('GET', '/v1/contacts/ct_1');
    expect(res.status).toBe(500);
    const body = JSON.stringify(await json(res));
    expect(body).not.toContain('hunter2');
    expect(body).not.toContain('10.0.0.5');
    expect(errors).toHaveLength(1);
  });
});

describe('API9 improper inventory management', () => {
  it('serves only the operations chosen with `routes`, and the document lists exactly those', async () => {
    const { call, gateway } = await setup({ routes: ['createLead', 'getMe'] });
    expect((await call('POST', '/v1/leads', { body: { email: 'a@b.sa' } })).status).toBe(201);
    expect((await call('GET', '/v1/audit')).status).toBe(404);
    expect(Object.keys(gateway.openapi.paths).sort()).toEqual(['/v1/leads', '/v1/me']);
  });
});

describe('auditing', () => {
  it('audits every call, accepted or refused, with ids and codes but no payload', async () => {
    const { call, store } = await setup();
    const canary = 'نورة-CANARY-PHI';
    await call('POST', '/v1/leads', { body: { name: canary, phone: '+966555123456' } });
    await call('GET', '/v1/me', { key: null });
    await call('POST', '/v1/leads', { body: { name: canary, bogus: canary } });
    const records = await store.queryAudit();
    expect(records.map((r) => [r.operation, r.outcome, r.errorCode ?? null])).toEqual([
      ['gateway.createLead', 'success', null],
      ['gateway.getMe', 'rejected', 'unauthenticated'],
      ['gateway.createLead', 'rejected', 'validation-failed'],
    ]);
    expect(records[0]!.recordIds[0]).toMatch(/^client:key:/);
    expect(records[0]!.recordIds[1]).toMatch(/^ct_/);
    expect(records.every((r) => r.trigger === 'api' && r.integrationPoint === 'gateway')).toBe(true);
    expect(JSON.stringify(records)).not.toContain('CANARY');
    expect(JSON.stringify(records)).not.toContain('+966555123456');
  });
});
