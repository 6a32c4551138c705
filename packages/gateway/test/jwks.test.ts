// JWTs against a JWKS fetched over HTTP (jose's remote key set), and API7: keys come only from the
// configured JWKS, never from a URL the token names (`jku`).
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { type LoopbackServer, startLoopbackServer } from '@hmi/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { setup } from './helpers.js';

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serveJwks(jwks: unknown): Promise<{ url: string; hits: () => number }> {
  const server = await startLoopbackServer([{ status: 200, body: JSON.stringify(jwks) }]);
  servers.push(server);
  return { url: `${server.url}/jwks.json`, hits: () => server.seen.length };
}

describe('JWKS over HTTP', () => {
  it('verifies tokens with the fetched keys and never follows a jku header', async () => {
    const hospital = await generateKeyPair('RS256');
    const attacker = await generateKeyPair('RS256');
    const idp = await serveJwks({ keys: [{ ...(await exportJWK(hospital.publicKey)), kid: 'h1', alg: 'RS256' }] });
    const evil = await serveJwks({ keys: [{ ...(await exportJWK(attacker.publicKey)), kid: 'h1', alg: 'RS256' }] });
    const { call, json, clock } = await setup({
      auth: { jwt: { jwks: idp.url, issuer: 'https://idp.example', audience: 'hmi-gateway' } },
    });
    const token = (key: CryptoKey, header: Record<string, unknown> = {}) =>
      new SignJWT({ scope: 'audit:read', client_id: 'bi-tool' })
        .setProtectedHeader({ alg: 'RS256', kid: 'h1', ...header })
        .setIssuer('https://idp.example')
        .setAudience('hmi-gateway')
        .setIssuedAt(Math.floor(clock.now() / 1000))
        .setExpirationTime(Math.floor(clock.now() / 1000) + 300)
        .sign(key);
    const me = await call('GET', '/v1/me', { key: await token(hospital.privateKey) });
    expect(me.status).toBe(200);
    expect((await json(me)).client.id).toBe('jwt:bi-tool');
    const forged = await call('GET', '/v1/me', { key: await token(attacker.privateKey, { jku: evil.url }) });
    expect(forged.status).toBe(401);
    expect(evil.hits()).toBe(0);
    expect(idp.hits()).toBeGreaterThan(0);
  });
});
