import { z } from 'zod';
import { SCOPES } from '../auth/scopes.js';
import { PROBLEM_TYPES } from '../http/problem.js';
import type { RouteDef } from '../routes/types.js';
import { requestSchemas, responseSchemas } from '../schemas.js';

/** An OpenAPI 3.1 document, as plain JSON. */
export type OpenApiDocument = Record<string, unknown> & { openapi: string; paths: Record<string, Record<string, unknown>> };

const REF = (id: string) => `#/components/schemas/${id}`;
type Json = Record<string, unknown>;

function clean(schema: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

/** A schema as a `$ref` when it is named, inline JSON Schema otherwise. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const registry = io === 'input' ? requestSchemas : responseSchemas;
  const named = registry.get(schema);
  if (named) return { $ref: REF(named.id) };
  return clean(z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json);
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, Json>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      schema: rest,
      ...(typeof description === 'string' && { description }),
    };
  });
}

const COMMON_PROBLEMS = [400, 401, 403, 404, 413, 415, 422, 429, 500, 503];

function problemResponses(route: RouteDef): Record<string, Json> {
  const statuses = new Set([...COMMON_PROBLEMS, ...(route.problems ?? [])]);
  if (route.method === 'GET' || route.method === 'DELETE') {
    statuses.delete(413);
    statuses.delete(415);
    if (!route.problems?.includes(422)) statuses.delete(422);
  }
  if (!route.scope && !route.allow) statuses.delete(403);
  const out: Record<string, Json> = {};
  for (const status of [...statuses].sort()) {
    const titles = Object.values(PROBLEM_TYPES)
      .filter((p) => p.status === status)
      .map((p) => p.title);
    out[String(status)] = {
      description: titles.join('; ') || 'Problem',
      content: { 'application/problem+json': { schema: { $ref: REF('Problem') } } },
      ...(status === 429 && {
        headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
      }),
    };
  }
  return out;
}

/** Options of {@link buildOpenApiDocument}. */
export interface OpenApiOptions {
  title?: string;
  version?: string;
  description?: string;
  /** The prefix the gateway is mounted under (the `servers` entry). */
  basePath?: string;
  tokenUrl?: string;
  /** Which authentication schemes are enabled. */
  schemes: { apiKeys: boolean; jwt: boolean; mtls: boolean };
}

/** Builds the OpenAPI 3.1 document from the route table and the zod schemas. */
export function buildOpenApiDocument(routes: readonly RouteDef[], options: OpenApiOptions): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const security = (scope: string | undefined) => {
      const scopes = scope ? [scope] : [];
      return [
        ...(options.schemes.apiKeys || options.schemes.jwt ? [{ bearer: scopes }] : []),
        ...(options.schemes.jwt ? [{ oauth2: scopes }] : []),
        ...(options.schemes.mtls ? [{ mutualTLS: scopes }] : []),
      ];
    };
    const success: Record<string, Json> = {};
    for (const [status, r] of Object.entries(route.responses)) {
      success[status] = {
        description: r.description,
        ...(r.stream && { content: { 'text/event-stream': { schema: { type: 'string' } } } }),
        ...(r.schema && { content: { 'application/json': { schema: schemaOf(r.schema, 'output') } } }),
      };
    }
    const operation: Json = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description && { description: route.description }),
      tags: [route.tag],
      security: security(route.scope),
      ...(route.scope && { 'x-required-scope': route.scope }),
      parameters: [
        ...parameters(route.params, 'path'),
        ...parameters(route.query, 'query'),
        ...(route.method === 'POST'
          ? [
              {
                name: 'Idempotency-Key',
                in: 'header',
                required: false,
                description:
                  'Repeat a POST safely: the same key and body return the stored response for 24 h; a different body gets 422.',
                schema: { type: 'string', minLength: 1, maxLength: 255 },
              },
            ]
          : []),
      ],
      ...(route.body && {
        requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } },
      }),
      responses: { ...success, ...problemResponses(route) },
    };
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation;
  }
  const components = (registry: typeof requestSchemas, io: 'input' | 'output') =>
    Object.fromEntries(
      Object.entries(
        (
          z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri: REF, unrepresentable: 'any' }) as {
            schemas: Record<string, Json>;
          }
        ).schemas,
      ).map(([id, s]) => [id, clean(s)]),
    );
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'hmi gateway',
      version: options.version ?? '1.0.0',
      description:
        options.description ??
        "The hospital integration layer's HTTP API. Errors are RFC 9457 problem details (`application/problem+json`) with `type` `urn:hmi:problem:<slug>`. Authenticate with `Authorization: Bearer <API key or JWT>`.",
    },
    servers: [{ url: options.basePath || '/' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { ...components(responseSchemas, 'output'), ...components(requestSchemas, 'input') },
      securitySchemes: {
        ...((options.schemes.apiKeys || options.schemes.jwt) && {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key (`hmi_live_…`) or an OAuth 2.0 access token (JWT).',
          },
        }),
        ...(options.schemes.jwt && {
          oauth2: {
            type: 'oauth2',
            flows: { clientCredentials: { tokenUrl: options.tokenUrl ?? '/oauth/token', scopes: { ...SCOPES } } },
          },
        }),
        ...(options.schemes.mtls && {
          mutualTLS: { type: 'mutualTLS', description: 'A client certificate verified by the TLS terminator.' },
        }),
      },
    },
  };
}
