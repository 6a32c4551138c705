import { ConfigError, type ConnectorInstance, createTelemetry, type Telemetry } from '@hmi/core';
import type { RunSyncOptions, SyncScheduleSpec } from '@hmi/flow';
import type { LoadedConfig } from '../config/load-config.js';
import type { IntegrationPointConfig } from '../config/schema.js';
import { isSecretKeyName, resolveEnvRefs } from '../config/secrets.js';
import { loadConnectorModule } from '../connectors/registry.js';
import { buildRecordPipeline } from '../mapping/record-pipeline.js';

/** One integration point, ready to run: `runSync` options without the state store. */
export interface PreparedPoint {
  config: IntegrationPointConfig;
  /** Options for `runSync` / `scheduleSync` (add `state`). */
  sync: Omit<RunSyncOptions<unknown, unknown, unknown>, 'state'>;
  /** The point's schedule, when it has one. */
  schedule: SyncScheduleSpec | undefined;
}

/** Options of {@link prepareRun}. */
export interface PrepareRunOptions {
  /** Where `env:NAME` references are looked up. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The bus every connector and sync shares; a fresh one by default. */
  telemetry?: Telemetry;
  /** Only these point ids (all by default); an unknown id is a ConfigError. */
  points?: readonly string[];
}

/** What {@link prepareRun} builds. */
export interface PreparedRun {
  points: PreparedPoint[];
  connectors: Map<string, ConnectorInstance>;
  telemetry: Telemetry;
}

/**
 * Turns a validated config into runnable syncs: resolves `env:` references (a missing variable is a
 * ConfigError naming it), registers secret values with the telemetry redactor, imports and creates
 * each connector once, checks that streams and actions exist, and builds each point's record
 * pipeline (consent filter, mapping, allow-list).
 */
export async function prepareRun(loaded: LoadedConfig, options: PrepareRunOptions = {}): Promise<PreparedRun> {
  const { config, baseDir } = loaded;
  const env = options.env ?? process.env;
  const telemetry = options.telemetry ?? createTelemetry();
  const wanted = options.points?.length ? new Set(options.points) : undefined;
  for (const id of wanted ?? []) {
    if (!config.points.some((p) => p.id === id)) throw new ConfigError(`no integration point "${id}" in the config`);
  }
  const points = config.points.filter((p) => wanted === undefined || wanted.has(p.id));
  const needed = new Set(points.flatMap((p) => [p.source.connector, p.destination.connector]));

  const connectors = new Map<string, ConnectorInstance>();
  for (const name of needed) {
    const spec = config.connectors[name]!;
    const mod = await loadConnectorModule(spec, baseDir);
    const isSecret = (key: string) => isSecretKeyName(key) || mod.secretKeys?.has(key) === true;
    const { value, refs } = resolveEnvRefs(spec.config, env, `connectors.${name}.config`, isSecret);
    for (const ref of refs) if (ref.secret) telemetry.redactor.addSecret(ref.value);
    let instance: ConnectorInstance;
    try {
      instance = mod.factory(value, { telemetry });
    } catch (error) {
      if (ConfigError.isInstance(error)) {
        throw new ConfigError(`connector ${name}: ${telemetry.redactor.redactString(error.message)}`, { issues: error.issues });
      }
      throw error;
    }
    if (!instance || typeof instance !== 'object' || typeof instance.actions !== 'object') {
      throw new ConfigError(`connector ${name}: its factory did not return a connector instance`);
    }
    connectors.set(name, instance);
  }

  const prepared: PreparedPoint[] = [];
  for (const point of points) {
    const source = connectors.get(point.source.connector)!;
    const destination = connectors.get(point.destination.connector)!;
    const stream = (source.streams as Record<string, unknown>)[point.source.stream] as
      | PreparedPoint['sync']['source']
      | undefined;
    if (!stream) {
      throw new ConfigError(
        `point ${point.id}: connector ${point.source.connector} has no stream "${point.source.stream}" (it has: ${Object.keys(source.streams).join(', ') || 'none'})`,
      );
    }
    const write = (destination.actions as Record<string, unknown>)[point.destination.action];
    if (typeof write !== 'function') {
      throw new ConfigError(
        `point ${point.id}: connector ${point.destination.connector} has no action "${point.destination.action}" (it has: ${Object.keys(destination.actions).join(', ') || 'none'})`,
      );
    }
    const pipeline = await buildRecordPipeline(point, baseDir);
    prepared.push({
      config: point,
      schedule: point.schedule,
      sync: {
        id: point.id,
        integrationPoint: point.id,
        connector: destination.id,
        source: stream,
        destination: (record, ctx) =>
          (write as (input: unknown, o: unknown) => Promise<unknown>)(record, {
            idempotencyKey: ctx.idempotencyKey,
            signal: ctx.signal,
          }),
        map: pipeline.map,
        ...(pipeline.keyOf && { keyOf: pipeline.keyOf }),
        ...(point.batchSize !== undefined && { batchSize: point.batchSize }),
        ...(point.concurrency !== undefined && { concurrency: point.concurrency }),
        telemetry,
      },
    });
  }
  return { points: prepared, connectors, telemetry };
}
