import { z } from 'zod';

/** `env:NAME`: a reference to an environment variable, resolved at run time. */
export const ENV_REF = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

const Id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only');

const Duration = z
  .string()
  .regex(/^(\d+(\.\d+)?(ms|s|m|h|d))+$/, 'a duration such as 30s, 5m, 2h, 1d or 1h30m')
  .meta({ description: 'A duration: 500ms, 30s, 5m, 2h, 1d, 1h30m.' });

const Path = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, 'a dot path such as names.0.given')
  .meta({ description: 'A dot path into a record; numbers index arrays: `names.0.given.0`.' });

/** A connector instance: which package (or module) and its config. */
export const ConnectorSpec = z
  .strictObject({
    use: z.string().min(1).optional().meta({ description: 'A built-in connector id: fhir, stripe, twilio, sendgrid, hl7v2.' }),
    package: z.string().min(1).optional().meta({
      description:
        'An import path instead of `use`: a package name, or a module path relative to this file (`./connectors/crm.ts`).',
    }),
    export: z
      .string()
      .regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/)
      .optional()
      .meta({
        description:
          'The factory export, `(config, options) => instance`. Default: `default`, or the one `create…Connector` export.',
      }),
    config: z
      .record(z.string(), z.unknown())
      .default({})
      .meta({ description: 'The connector config. Secrets are written `env:NAME`, never inline.' }),
  })
  .refine((c) => (c.use === undefined) !== (c.package === undefined), { message: 'give exactly one of use or package' });

const TransformName = z.enum([
  'trim',
  'lower',
  'upper',
  'e164',
  'date',
  'datetime',
  'string',
  'number',
  'boolean',
  'emptyToNull',
]);

/** One output field of a declarative mapping. */
export const FieldMapping = z
  .strictObject({
    from: Path.optional().meta({ description: 'Where the value comes from in the source record.' }),
    const: z
      .union([z.string(), z.number(), z.boolean(), z.null()])
      .optional()
      .meta({ description: 'A constant value instead of `from`.' }),
    transform: z.array(TransformName).optional().meta({
      description:
        'Applied in order: trim, lower, upper, e164 (phone, with mapping.defaultRegion), date (YYYY-MM-DD), datetime (ISO 8601), string, number, boolean, emptyToNull.',
    }),
    onError: z.enum(['fail', 'drop-field', 'skip-record']).optional().meta({
      description: 'When a transform cannot convert the value: fail the sync (default), drop the field, or skip the record.',
    }),
  })
  .refine((f) => (f.from === undefined) !== (f.const === undefined), { message: 'give exactly one of from or const' });

/** A mapping: a typed mapper module, or declarative fields. */
export const Mapping = z.union([
  z.strictObject({
    module: z.string().min(1).meta({ description: 'A mapper module path (relative to this file) or package.' }),
    export: z
      .string()
      .regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/)
      .optional()
      .meta({ description: 'The mapper export, `(record, { syncId, key }) => output | undefined`. Default `default`.' }),
  }),
  z.strictObject({
    fields: z
      .record(Path, FieldMapping)
      .refine((f) => Object.keys(f).length > 0, { message: 'at least one field' })
      .meta({ description: 'Output paths to their source: `{ phone: { from: phones.0.value, transform: [e164] } }`.' }),
    defaultRegion: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional()
      .meta({ description: 'Region for e164 of numbers without a country code (SA, AE, EG).' }),
  }),
]);

const Schedule = z.union([
  z.strictObject({ every: Duration }),
  z.strictObject({
    cron: z.string().min(9).meta({ description: 'A 5- or 6-field cron expression.' }),
    timezone: z.string().min(1).optional().meta({ description: 'IANA time zone, e.g. Asia/Riyadh.' }),
  }),
]);

/** What data is used for: minimum necessary depends on it. */
export const Purpose = z.enum(['treatment', 'payment', 'operations', 'transactional', 'marketing', 'analytics']);

/** One integration point: a stream of one connector synced into an action of another. */
export const IntegrationPoint = z
  .strictObject({
    id: Id.meta({ description: 'Names the point; also its sync id (checkpoint) in the state store.' }),
    description: z.string().max(500).optional(),
    direction: z.enum(['inbound', 'outbound']).meta({ description: 'inbound: into the CRM; outbound: from the CRM.' }),
    source: z.strictObject({
      connector: Id.meta({ description: 'A key of `connectors`.' }),
      stream: z.string().min(1).meta({ description: 'The stream to read.' }),
    }),
    destination: z.strictObject({
      connector: Id.meta({ description: 'A key of `connectors`.' }),
      action: z.string().min(1).meta({ description: 'The action each record is written with (an upsert).' }),
    }),
    schedule: Schedule.optional().meta({ description: 'How often `hmi run` polls; without it the point runs once.' }),
    key: Path.optional().meta({ description: 'The source record id path. Default `id`.' }),
    mapping: Mapping.optional(),
    fields: z
      .array(Path)
      .min(1)
      .meta({ description: 'The allow-list (minimum necessary): output fields not listed are dropped before writing.' }),
    purpose: Purpose,
    consent: z
      .strictObject({
        required: z.boolean(),
        field: Path.optional().meta({ description: 'A source path that must equal `value` for the record to be written.' }),
        value: z.union([z.string(), z.boolean(), z.number()]).optional().meta({ description: 'Default true.' }),
      })
      .optional(),
    batchSize: z.number().int().min(1).max(10_000).optional(),
    concurrency: z.number().int().min(1).max(64).optional(),
  })
  .superRefine((point, ctx) => {
    if (point.consent?.required && point.consent.field === undefined) {
      ctx.addIssue({ code: 'custom', path: ['consent', 'field'], message: 'required consent needs the field that records it' });
    }
    if (point.purpose === 'marketing' && !point.consent?.required) {
      ctx.addIssue({ code: 'custom', path: ['purpose'], message: 'marketing needs consent: { required: true, field }' });
    }
  });

/** A connection string written inline (without a password) or as `env:NAME`. */
const ConnectionRef = (scheme: RegExp, what: string) =>
  z
    .string()
    .min(1)
    .max(2000)
    .refine((v) => ENV_REF.test(v) || scheme.test(v), { message: `${what}: env:NAME or a URL` })
    .refine((v) => ENV_REF.test(v) || !/^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(v), {
      message: 'a URL with a password belongs in an environment variable: write env:NAME',
    });

/** Where state lives: SQLite (embedded default) or PostgreSQL (several workers). */
export const State = z.union([
  z.strictObject({ path: z.string().min(1).meta({ description: 'SQLite file, relative to this file. `--state` overrides.' }) }),
  z.strictObject({
    postgres: ConnectionRef(/^postgres(ql)?:\/\//, 'state.postgres').meta({
      description: 'PostgreSQL connection string, usually env:DATABASE_URL (@hmi/store-postgres).',
    }),
    schema: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/)
      .optional()
      .meta({ description: "The PostgreSQL schema of hmi's tables. Default hmi." }),
  }),
]);

/** Who runs outbox deliveries and scheduled syncs in `hmi worker`. */
export const Runner = z.strictObject({
  bullmq: z
    .strictObject({
      redis: ConnectionRef(/^rediss?:\/\//, 'runner.bullmq.redis').meta({
        description: 'Redis URL, usually env:REDIS_URL (@hmi/queue-bullmq).',
      }),
      prefix: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,64}$/)
        .optional()
        .meta({ description: 'Prefix of every Redis key. Default hmi.' }),
    })
    .optional()
    .meta({ description: 'Run on BullMQ queues so several worker processes share the work. Omit for in-process.' }),
  concurrency: z.number().int().min(1).max(256).optional().meta({ description: 'Deliveries at once per topic. Default 8.' }),
  rateLimits: z
    .record(z.string().min(1), z.strictObject({ max: z.number().int().min(1), per: Duration }))
    .optional()
    .meta({ description: 'Cluster-wide limits per topic: `{ "deliver:twilio.sendSms": { max: 100, per: 1s } }` (bullmq only).' }),
});

/** The hmi config file. */
export const HmiConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).meta({ description: 'The config format version.' }),
    state: State.optional().meta({
      description: 'Where state lives: `{ path }` (SQLite, the default) or `{ postgres: env:DATABASE_URL }` for several workers.',
    }),
    runner: Runner.optional().meta({
      description: 'Who runs the work of `hmi worker`: in-process (the default) or `{ bullmq: { redis: env:REDIS_URL } }`.',
    }),
    connectors: z.record(Id, ConnectorSpec).meta({ description: 'Named connector instances the integration points refer to.' }),
    points: z.array(IntegrationPoint).min(1).meta({ description: 'The integration points.' }),
  })
  .superRefine((config, ctx) => {
    const ids = new Set<string>();
    config.points.forEach((point, i) => {
      if (ids.has(point.id)) ctx.addIssue({ code: 'custom', path: ['points', i, 'id'], message: 'duplicate point id' });
      ids.add(point.id);
      for (const side of ['source', 'destination'] as const) {
        if (!(point[side].connector in config.connectors)) {
          ctx.addIssue({ code: 'custom', path: ['points', i, side, 'connector'], message: 'not a key of connectors' });
        }
      }
    });
  })
  .meta({ title: 'hmi integration points', description: 'Declarative integration points for the hmi CLI.' });

/** A validated config. */
export type HmiConfig = z.output<typeof HmiConfigSchema>;
/** A config as written. */
export type HmiConfigInput = z.input<typeof HmiConfigSchema>;
/** One integration point of a validated config. */
export type IntegrationPointConfig = HmiConfig['points'][number];
/** One connector entry of a validated config. */
export type ConnectorSpecConfig = HmiConfig['connectors'][string];
