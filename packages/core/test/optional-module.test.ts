import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors/errors.js';
import { importOptional, loadJose } from '../src/http/auth/optional-module.js';

describe('optional peer dependencies', () => {
  it('a missing package is a ConfigError that names it, not a module-resolution crash', async () => {
    const error = (await importOptional('hmi-no-such-package-for-tests', 'auth type "private-key-jwt"').catch(
      (e: unknown) => e,
    )) as ConfigError;
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(error.message).toContain('needs the optional peer dependency "hmi-no-such-package-for-tests"');
    expect(error.issues[0]?.code).toBe('missing_dependency');
  });

  it('loads jose when it is installed', async () => {
    const jose = await loadJose();
    expect(typeof jose.SignJWT).toBe('function');
  });

  it("a bundler does not pull jose into a bearer-only connector's bundle", async () => {
    const { build } = await import('esbuild');
    const entry = new URL('../src/index.ts', import.meta.url).pathname;
    const result = await build({
      stdin: {
        contents: `import { createHttpClient } from ${JSON.stringify(entry)};\nexport const c = createHttpClient({ baseUrl: 'https://api.example.com', auth: { type: 'bearer', token: 't' } });`,
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      external: ['zod', 'undici'],
      logLevel: 'silent',
    });
    const output = result.outputFiles[0]?.text ?? '';
    expect(output).toContain('createHttpClient');
    // jose's own code (its JWT signer class) would be here had the bundler followed the import.
    expect(output).not.toContain('class SignJWT');
    expect(output).not.toMatch(/node_modules\/jose/);
  });
});
