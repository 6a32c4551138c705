import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConfigError, isHmiError } from '@hmi/core';
import { auditCommand } from './commands/audit.js';
import { type CliIo, EXIT, UsageError } from './commands/context.js';
import { dlqCommand } from './commands/dlq.js';
import { newConnectorCommand } from './commands/new-connector.js';
import { runCommand } from './commands/run.js';
import { statusCommand } from './commands/status.js';
import { validateCommand } from './commands/validate.js';
import { PACKAGE_VERSION } from './version.js';
import { workerCommand } from './commands/worker.js';

/** The CLI's version, printed by `hmi --version`. */
export const CLI_VERSION: string = PACKAGE_VERSION;

const USAGE = `hmi — run and inspect hmi integration points

Usage:
  hmi validate <config>                     check a config file (errors point at line:column)
  hmi run <config> [--state <sqlite>] [--once] [--point <id>]…
                                            run the integration points (--once: each once, then exit)
  hmi worker <config> [--state <sqlite>]     a worker process: delivers deliver:<connector>.<action> outbox
                                            items and runs scheduled points, in-process or on BullMQ
                                            (runner.bullmq), until SIGTERM
  hmi status [--state <sqlite> | --config <config>]
                                            checkpoints, outbox and dead-letter counts, last runs
  hmi dlq list|inspect <id>|replay <id…>|purge <id…> [--all] [--topic t] [--point p] [--payload]
  hmi new connector <name> [--dir <folder>] [--package <npm name>] [--force]
                                            write a standalone connector package (npm create @hmi/connector)
  hmi audit [--since 24h] [--until <ISO>] [--point p] [--connector c] [--operation o]
            [--outcome success,failure] [--record <id>] [--limit 100]

Every command takes --json for machine-readable output.
Exit codes: 0 ok, 1 failure, 2 usage or config error.
`;

type Options = NonNullable<ParseArgsConfig['options']>;
const json = { json: { type: 'boolean', default: false } } as const satisfies Options;
const state = { state: { type: 'string' }, config: { type: 'string', short: 'c' } } as const satisfies Options;

function parse<O extends Options>(args: string[], options: O) {
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}

/**
 * Runs the `hmi` CLI with `argv` (without `node` and the script) and returns the exit code. All
 * output goes through `io`, so it can run in-process in tests; the `hmi` binary passes the
 * process's streams and environment.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE);
        return command === undefined ? EXIT.usage : EXIT.ok;
      case '--version':
      case '-v':
        io.stdout.write(`${CLI_VERSION}\n`);
        return EXIT.ok;
      case 'validate': {
        const { values, positionals } = parse(rest, json);
        if (positionals.length !== 1) throw new UsageError('hmi validate takes one config file');
        return await validateCommand(io, positionals[0]!, values.json === true);
      }
      case 'run': {
        const { values, positionals } = parse(rest, {
          ...json,
          state: { type: 'string' },
          once: { type: 'boolean', default: false },
          point: { type: 'string', multiple: true },
        });
        if (positionals.length !== 1) throw new UsageError('hmi run takes one config file');
        return await runCommand(io, positionals[0]!, {
          ...(values.state !== undefined && { state: values.state }),
          once: values.once === true,
          points: values.point ?? [],
          json: values.json === true,
        });
      }
      case 'worker': {
        const { values, positionals } = parse(rest, { ...json, state: { type: 'string' } });
        if (positionals.length !== 1) throw new UsageError('hmi worker takes one config file');
        return await workerCommand(io, positionals[0]!, {
          ...(values.state !== undefined && { state: values.state }),
          json: values.json === true,
        });
      }
      case 'status': {
        const { values, positionals } = parse(rest, { ...json, ...state });
        if (positionals.length > 0) throw new UsageError('hmi status takes no arguments (use --state or --config)');
        return await statusCommand(io, { ...values, json: values.json === true });
      }
      case 'dlq': {
        const { values, positionals } = parse(rest, {
          ...json,
          ...state,
          topic: { type: 'string' },
          point: { type: 'string' },
          limit: { type: 'string' },
          all: { type: 'boolean', default: false },
          before: { type: 'string' },
          payload: { type: 'boolean', default: false },
        });
        const [action, ...ids] = positionals;
        return await dlqCommand(io, action, ids, {
          ...values,
          json: values.json === true,
          all: values.all === true,
          payload: values.payload === true,
        });
      }
      case 'audit': {
        const { values, positionals } = parse(rest, {
          ...json,
          ...state,
          since: { type: 'string' },
          until: { type: 'string' },
          point: { type: 'string' },
          connector: { type: 'string' },
          operation: { type: 'string' },
          outcome: { type: 'string' },
          record: { type: 'string' },
          limit: { type: 'string' },
        });
        if (positionals.length > 0) throw new UsageError('hmi audit takes no arguments, only flags');
        return await auditCommand(io, { ...values, json: values.json === true });
      }
      case 'new': {
        const { values, positionals } = parse(rest, {
          dir: { type: 'string' },
          package: { type: 'string' },
          force: { type: 'boolean', default: false },
        });
        const [what, name, ...extra] = positionals;
        if (what !== 'connector' || name === undefined || extra.length > 0) {
          throw new UsageError('hmi new connector <name> writes a connector package (one name; quote a name with spaces)');
        }
        return newConnectorCommand(io, name, { dir: values.dir, packageName: values.package, force: values.force === true });
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    return report(io, error);
  }
}

/** Prints an error the way a user can act on and maps it to an exit code. */
function report(io: CliIo, error: unknown): number {
  if (error instanceof UsageError || (error as { code?: string })?.code?.startsWith?.('ERR_PARSE_ARGS')) {
    // The mistake and where to read more; the whole usage text would bury the one line that matters.
    io.stderr.write(`hmi: ${(error as Error).message}\nRun hmi --help for the commands and their flags.\n`);
    return EXIT.usage;
  }
  if (ConfigError.isInstance(error)) {
    io.stderr.write(`hmi: ${error.message}\n`);
    return EXIT.usage;
  }
  if (isHmiError(error)) {
    io.stderr.write(`hmi: ${error.message} (${error.code})\n`);
    return EXIT.failure;
  }
  // A foreign error's message may quote data: only its class name is shown.
  io.stderr.write(`hmi: internal error (${(error as Error)?.name ?? typeof error})\n`);
  return EXIT.failure;
}
