import { resolve } from 'node:path';
import { connectorNames, scaffoldConnector } from '@hmi/create-connector';
import { type CliIo, EXIT } from './context.js';

/** Flags of `hmi new connector`. */
export interface NewConnectorFlags {
  dir: string | undefined;
  packageName: string | undefined;
  force: boolean;
}

/** `hmi new connector <name>`: what `npm create @hmi/connector <name>` does, from the CLI. */
export function newConnectorCommand(io: CliIo, name: string, flags: NewConnectorFlags): number {
  const result = scaffoldConnector({
    name,
    directory: resolve(io.cwd, flags.dir ?? `connector-${connectorNames(name).kebab}`),
    ...(flags.packageName !== undefined && { packageName: flags.packageName }),
    force: flags.force,
  });
  io.stdout.write(
    `created ${result.packageName} (${result.files.length} files) in ${result.directory}\nnext:\n  cd ${result.directory}\n  npm install\n  npm test\n`,
  );
  return EXIT.ok;
}
