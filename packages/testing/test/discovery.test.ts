import { ConfigError } from '@hmi/core';
import { createDiscoveryValidator, discoveryToJsonSchema } from '@hmi/testing';
import { describe, expect, it } from 'vitest';

// A miniature Discovery document in Google's format.
const doc = {
  servicePath: '',
  resources: {
    things: {
      methods: {
        run: {
          id: 'demo.things.run',
          httpMethod: 'POST',
          path: 'v1/{+name}:run',
          flatPath: 'v1/things/{thingsId}:run',
          parameters: { name: { location: 'path', required: true, pattern: '^things/[^/]+$', type: 'string' } },
          request: { $ref: 'RunRequest' },
          response: { $ref: 'RunResponse' },
        },
      },
      resources: {
        parts: {
          methods: {
            list: {
              id: 'demo.things.parts.list',
              httpMethod: 'GET',
              flatPath: 'v1/things/{thingsId}/parts',
              path: 'v1/{+parent}/parts',
              response: { $ref: 'RunResponse' },
            },
          },
        },
      },
    },
  },
  schemas: {
    RunRequest: {
      id: 'RunRequest',
      type: 'object',
      properties: {
        limit: { type: 'string', format: 'int64' },
        size: { type: 'integer', format: 'int32' },
        kind: { type: 'string', enum: ['A', 'B'] },
        items: { type: 'array', items: { $ref: 'Item' } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        anything: { type: 'any' },
      },
    },
    Item: { id: 'Item', type: 'object', properties: { name: { type: 'string' } } },
    RunResponse: { id: 'RunResponse', type: 'object', properties: { count: { type: 'integer' } } },
  },
};

describe('Google Discovery documents', () => {
  const validator = createDiscoveryValidator(doc);

  it('turns schemas into JSON Schema: $ref, int64 strings, int32 ranges, enums, closed objects', () => {
    const ok = { limit: '10', size: 3, kind: 'A', items: [{ name: 'x' }], labels: { a: 'b' }, anything: [1, { x: 2 }] };
    expect(validator.validateRequest('demo.things.run', ok).errors).toEqual([]);
    expect(validator.validateRequest('demo.things.run', { limit: 10 }).valid).toBe(false);
    expect(validator.validateRequest('demo.things.run', { limit: '1e3' }).valid).toBe(false);
    expect(validator.validateRequest('demo.things.run', { size: 2 ** 31 }).valid).toBe(false);
    expect(validator.validateRequest('demo.things.run', { kind: 'C' }).valid).toBe(false);
    expect(validator.validateRequest('demo.things.run', { items: [{ nam: 'x' }] }).valid).toBe(false);
    expect(validator.validateRequest('demo.things.run', { labels: { a: 1 } }).valid).toBe(false);
    expect(validator.validateRequest('demo.things.run', { unknown: true }).valid).toBe(false);
    const open = discoveryToJsonSchema(doc, { closed: false }) as { definitions: Record<string, Record<string, unknown>> };
    expect(open.definitions.RunRequest?.additionalProperties).toBeUndefined();
  });

  it('matches requests to methods by HTTP method and flatPath, nested resources included', () => {
    expect(validator.matchRequest('POST', 'https://x.example/v1/things/42:run')).toEqual({
      method: validator.method('demo.things.run'),
      params: { thingsId: '42' },
    });
    expect(validator.matchRequest('GET', 'https://x.example/v1/things/42/parts?pageSize=5')?.method.id).toBe(
      'demo.things.parts.list',
    );
    expect(validator.matchRequest('GET', 'https://x.example/v1/things/42:run')).toBeUndefined();
    expect(validator.validateRequest('demo.things.parts.list', { x: 1 }).valid).toBe(false);
    expect(() => validator.method('demo.nothing')).toThrow(ConfigError);
    expect(() => createDiscoveryValidator({ resources: {} })).toThrow(ConfigError);
  });
});
