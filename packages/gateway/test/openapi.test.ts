import { readFileSync, writeFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { setup } from './helpers.js';

const GENERATED = new URL('./generated/api.d.ts', import.meta.url);

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document (independent validator)', async () => {
    const { call, json } = await setup({ auth: { jwt: { jwks: { keys: [] }, issuer: 'i', audience: 'a' } } });
    const res = await call('GET', '/openapi.json', { key: null });
    expect(res.status).toBe(200);
    const doc = await json(res);
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists exactly the routes served, and every documented operation answers (never route-not-found)', async () => {
    const { gateway, call, json } = await setup({ basePath: '/api' });
    const doc = await json(await call('GET', '/openapi.json', { key: null }));
    expect(doc.servers).toEqual([{ url: '/api' }]);
    const documented: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(methods)) documented.push(`${method.toUpperCase()} ${path}`);
    }
    const served = gateway.routes.map((r) => `${r.method} ${r.path}`);
    expect(documented.sort()).toEqual([...served].sort());
    expect(documented).toHaveLength(14);
    for (const entry of documented) {
      const [method, template] = entry.split(' ') as [string, string];
      if (template === '/v1/events') continue; // a stream: checked in events.test.ts
      const res = await call(method, template.replace('{id}', 'x1'), method === 'GET' || method === 'DELETE' ? {} : { body: {} });
      const body = res.status === 204 ? {} : await json(res);
      expect(body.type, entry).not.toBe('urn:hmi:problem:route-not-found');
      expect(res.status, entry).not.toBe(405);
    }
    // And what is not documented is not served.
    for (const [method, path] of [
      ['GET', '/v1/leads'],
      ['GET', '/v1/contacts'],
      ['PATCH', '/v1/contacts/x1'],
      ['GET', '/v2/me'],
      ['GET', '/admin'],
    ]) {
      const res = await call(method!, path!);
      expect([404, 405], `${method} ${path}`).toContain(res.status);
    }
    // Outside the prefix nothing answers.
    const outside = await gateway(new Request('http://gw.test/v1/me'));
    expect(outside.status).toBe(404);
  });

  it('documents request schemas that are the validating ones (strict, with limits)', async () => {
    const { gateway } = await setup();
    const schemas = (
      gateway.openapi.components as {
        schemas: Record<string, { additionalProperties?: boolean; properties?: Record<string, unknown> }>;
      }
    ).schemas;
    expect(schemas.LeadInput!.additionalProperties).toBe(false);
    expect(schemas.ContactWrite!.properties).not.toHaveProperty('facility');
    const audit = (
      gateway.openapi.paths['/v1/audit'] as { get: { parameters: Array<{ name: string; schema: { maximum?: number } }> } }
    ).get;
    expect(audit.parameters.find((p) => p.name === 'limit')!.schema.maximum).toBe(100);
  });

  it('hands mounted paths to their handlers and keeps them out of the document', async () => {
    const { call, gateway } = await setup({
      basePath: '/api',
      mounts: { '/console': (request) => new Response(`console at ${new URL(request.url).pathname}`) },
    });
    const res = await call('GET', '/console/index.html', { key: null });
    expect(await res.text()).toBe('console at /api/console/index.html');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Object.keys(gateway.openapi.paths).some((p) => p.includes('console'))).toBe(false);
    await expect(setup({ mounts: { '/v1': () => new Response() } })).rejects.toThrow('a mount path');
  });

  it('serves a self-contained reference page', async () => {
    const { call } = await setup({ basePath: '/api' });
    const res = await call('GET', '/reference', { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('/v1/dead-letters/{id}/replay');
    expect(html).toContain('href="/api/openapi.json"');
    expect(html).not.toMatch(/<script|https?:\/\/(?!json-schema)/);
  });

  it('matches the checked-in client types generated with openapi-typescript (UPDATE_CLIENT=1 rewrites them)', async () => {
    const { gateway } = await setup();
    // Fields with defaults stay optional: they are optional in requests.
    const ast = await openapiTS(gateway.openapi as never, { defaultNonNullable: false });
    const generated = `// Generated from /openapi.json by openapi-typescript; test/openapi.test.ts checks it is current.\n${astToString(ast)}`;
    if (process.env.UPDATE_CLIENT === '1') writeFileSync(GENERATED, generated);
    // Compared without whitespace, quotes and separators: the checked-in copy is formatted by biome.
    const normalise = (text: string) => text.replace(/[\s;,'"]/g, '');
    expect(normalise(readFileSync(GENERATED, 'utf8'))).toBe(normalise(generated));
  });
});
