import { ConfigError, connectorKit, type HttpClient } from '@hmi/core';
import { z } from 'zod';
import type { Ga4Context } from '../ga4-context.js';

const WireProperty = z.object({
  name: z.string(),
  displayName: z.string().optional(),
  parent: z.string().optional(),
  account: z.string().optional(),
  timeZone: z.string().optional(),
  currencyCode: z.string().optional(),
  propertyType: z.string().optional(),
});
const WireDataStream = z.object({
  name: z.string(),
  type: z.string().optional(),
  displayName: z.string().optional(),
  webStreamData: z.object({ measurementId: z.string().optional(), defaultUri: z.string().optional() }).optional(),
});

/** A GA4 property (Admin API), read-only. */
export const Ga4Property = z.object({
  /** Numeric id. */
  id: z.string(),
  name: z.string(),
  displayName: z.string().optional(),
  parent: z.string().optional(),
  timeZone: z.string().optional(),
  currencyCode: z.string().optional(),
});
/** A GA4 property. */
export type Ga4Property = z.infer<typeof Ga4Property>;

/** A data stream of a property; web streams carry the `G-…` measurement id. */
export const Ga4DataStream = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string().optional(),
  displayName: z.string().optional(),
  measurementId: z.string().optional(),
  defaultUri: z.string().optional(),
});
/** A data stream. */
export type Ga4DataStream = z.infer<typeof Ga4DataStream>;

const PAGE_SIZE = 200;
const MAX_PAGES = 50;

function adminClient(ctx: Ga4Context): HttpClient {
  if (!ctx.admin)
    throw new ConfigError('the GA4 Admin API needs serviceAccount or accessToken', {
      issues: [{ path: ['serviceAccount'], code: 'required', message: 'required' }],
    });
  return ctx.admin;
}

async function listAll<T extends z.ZodType>(
  http: HttpClient,
  path: string,
  key: string,
  item: T,
  query: Record<string, string>,
  operation: string,
  signal: AbortSignal | undefined,
): Promise<z.output<T>[]> {
  const Page = z.object({ [key]: z.array(item).optional(), nextPageToken: z.string().optional() });
  const out: z.output<T>[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const data = (await http.request({
      path,
      query: { ...query, pageSize: PAGE_SIZE, ...(pageToken && { pageToken }) },
      schema: Page,
      operation,
      ...(signal && { signal }),
    })) as Record<string, unknown>;
    out.push(...((data[key] as z.output<T>[] | undefined) ?? []));
    pageToken = data.nextPageToken as string | undefined;
    if (!pageToken) break;
  }
  return out;
}

const { action } = connectorKit<Ga4Context>();

/** Input of `listProperties`: the account whose properties to list (the API requires a filter). */
export const ListPropertiesInput = z.object({ account: z.string().regex(/^\d{1,20}$/, 'expected the numeric account id') });

/** Admin API `properties.list` (filter `parent:accounts/<id>`), all pages. For `hmi validate`. */
export const listProperties = action({
  description: 'List the GA4 properties of an account (Admin API, read-only)',
  idempotent: true,
  input: ListPropertiesInput,
  output: z.array(Ga4Property),
  async run(input, ctx, call) {
    const items = await listAll(
      adminClient(ctx),
      '/v1beta/properties',
      'properties',
      WireProperty,
      { filter: `parent:accounts/${input.account}` },
      'listProperties',
      call.signal,
    );
    return items.map((p) => ({
      id: p.name.replace(/^properties\//, ''),
      name: p.name,
      ...(p.displayName !== undefined && { displayName: p.displayName }),
      ...(p.parent !== undefined && { parent: p.parent }),
      ...(p.timeZone !== undefined && { timeZone: p.timeZone }),
      ...(p.currencyCode !== undefined && { currencyCode: p.currencyCode }),
    }));
  },
});

/** Input of `listDataStreams`: default the configured property. */
export const ListDataStreamsInput = z.object({
  propertyId: z
    .string()
    .regex(/^\d{1,20}$/)
    .optional(),
});

/** Admin API `properties.dataStreams.list`, all pages. */
export const listDataStreams = action({
  description: 'List the data streams of a GA4 property (Admin API, read-only)',
  idempotent: true,
  input: ListDataStreamsInput,
  output: z.array(Ga4DataStream),
  async run(input, ctx, call) {
    const property = input.propertyId ?? ctx.config.propertyId;
    if (!property)
      throw new ConfigError('listDataStreams needs a propertyId (input or config)', {
        issues: [{ path: ['propertyId'], code: 'required', message: 'required' }],
      });
    const items = await listAll(
      adminClient(ctx),
      `/v1beta/properties/${property}/dataStreams`,
      'dataStreams',
      WireDataStream,
      {},
      'listDataStreams',
      call.signal,
    );
    return items.map((s) => ({
      id: s.name.split('/').at(-1) ?? s.name,
      name: s.name,
      ...(s.type !== undefined && { type: s.type }),
      ...(s.displayName !== undefined && { displayName: s.displayName }),
      ...(s.webStreamData?.measurementId !== undefined && { measurementId: s.webStreamData.measurementId }),
      ...(s.webStreamData?.defaultUri !== undefined && { defaultUri: s.webStreamData.defaultUri }),
    }));
  },
});
