import { ConfigError } from '../../errors/errors.js';

/**
 * Imports an optional peer dependency at run time. The specifier is passed in as a variable so
 * bundlers (esbuild, Rollup, webpack) cannot see it and do not pull the package into the bundle of
 * a connector that never uses it. A missing package becomes a ConfigError that says what to install.
 */
export async function importOptional<T>(specifier: string, feature: string): Promise<T> {
  try {
    return (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as T;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || isNotFoundMessage(error)) {
      throw new ConfigError(`${feature} needs the optional peer dependency "${specifier}": install it (npm i ${specifier})`, {
        issues: [{ path: ['auth', 'type'], code: 'missing_dependency', message: `requires the package ${specifier}` }],
      });
    }
    throw error;
  }
}

function isNotFoundMessage(error: unknown): boolean {
  return error instanceof Error && /cannot find (module|package)|failed to (load|resolve)/i.test(error.message);
}

/** The part of jose the private-key-jwt strategy uses. */
export type Jose = typeof import('jose');

/** The module name, kept in a variable: see {@link importOptional}. */
const JOSE: string = 'jose';

/** Loads jose (an optional peer dependency of `@hmi/core`) for the private-key-jwt strategy. */
export function loadJose(): Promise<Jose> {
  return importOptional<Jose>(JOSE, 'auth type "private-key-jwt"');
}
