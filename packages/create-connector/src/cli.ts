#!/usr/bin/env node
// `npm create @hmi/connector <name>` (and `npx @hmi/create-connector <name>`): writes a standalone
// connector package and says the next three commands.
import { isHmiError } from '@hmi/core';
import { scaffoldConnector } from './scaffold.js';

const USAGE = `usage: npm create @hmi/connector <name> [-- --dir <folder>] [--package <npm name>] [--force]

  <name>       the vendor or system, e.g. acme-crm ("Acme CRM" works too)
  --dir        where to write it (default ./connector-<name>)
  --package    the npm package name (default connector-<name>)
  --force      write into a folder that is not empty`;

/** Runs the scaffold for `argv` (without node and the script) and returns the exit code. */
export function main(argv: readonly string[], out: (line: string) => void = console.log, err = console.error): number {
  const args = [...argv];
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    out(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  let name: string | undefined;
  let directory: string | undefined;
  let packageName: string | undefined;
  let force = false;
  while (args.length > 0) {
    const arg = args.shift()!;
    if (arg === '--dir') directory = args.shift();
    else if (arg === '--package') packageName = args.shift();
    else if (arg === '--force') force = true;
    else if (arg.startsWith('-')) {
      err(`unknown option ${arg}; see --help`);
      return 2;
    } else if (name === undefined) name = arg;
    else {
      err(`one name only (got "${name}" and "${arg}"); quote a name with spaces`);
      return 2;
    }
  }
  if (name === undefined) {
    err('a connector name is required, e.g. npm create @hmi/connector acme-crm');
    return 2;
  }
  try {
    const result = scaffoldConnector({ name, directory, packageName, force });
    out(`created ${result.packageName} (${result.files.length} files) in ${result.directory}`);
    out('next:');
    out(`  cd ${result.directory}`);
    out('  npm install');
    out('  npm test');
    return 0;
  } catch (error) {
    err(isHmiError(error) ? error.message : `could not write the connector: ${(error as Error).message}`);
    return 1;
  }
}
