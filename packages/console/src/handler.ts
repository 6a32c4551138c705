import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Options of `createConsoleHandler`. */
export interface ConsoleHandlerOptions {
  /**
   * The path the console is served under, as the handler sees it in `request.url`, e.g. `/console`
   * or `/api/console`. Default `/console`. The gateway passes `<basePath>/console`.
   */
  path?: string;
  /** The directory of the built app (`index.html`, `app.js`, `app.css`). Default: the one shipped in this package's `dist/app`. */
  assetsDir?: string;
}

/** The Content-Security-Policy of every console answer: only this origin's script, style and API. */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/** Where the built app is: `dist/app` beside the built module, or beside `src` when run from source (tests). */
export function defaultAssetsDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, 'app'), join(here, '..', 'dist', 'app')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0]!;
}

const headers = (contentType: string): HeadersInit => ({
  'content-type': contentType,
  'content-security-policy': CONSOLE_CSP,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // Revalidate every time: a new version of the package must not run beside an old cached script.
  'cache-control': 'no-cache',
});

/**
 * A Fetch handler that serves the console's static files (the built single-page app). It holds no
 * credential and calls nothing: the page talks to the gateway's `/v1` API with the user's own
 * credential (an API key, or the host's session cookie). Mount it with the gateway's
 * `console: true` or `mounts: { '/console': createConsoleHandler({ path: '/console' }) }`.
 */
export function createConsoleHandler(options: ConsoleHandlerOptions = {}): (request: Request) => Promise<Response> {
  const path = (options.path ?? '/console').replace(/\/+$/, '');
  const cache = new Map<string, Promise<ArrayBuffer | undefined>>();
  const load = (name: string) => {
    let file = cache.get(name);
    if (!file) {
      const dir = options.assetsDir ?? defaultAssetsDir();
      file = readFile(join(dir, name)).then(
        (buffer) => buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer,
        () => undefined,
      );
      // A missing file is not cached: the app may be built after the handler was created.
      void file.then((bytes) => bytes === undefined && cache.delete(name));
      cache.set(name, file);
    }
    return file;
  };
  const notFound = () => new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') });

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', {
        status: 405,
        headers: { ...headers('text/plain; charset=utf-8'), allow: 'GET, HEAD' },
      });
    }
    const pathname = new URL(request.url).pathname;
    const at = pathname.lastIndexOf(path);
    if (at < 0 || (!pathname.endsWith(path) && pathname[at + path.length] !== '/')) return notFound();
    const rest = pathname.slice(at + path.length);
    // `/console` → `/console/`, so the page's relative URLs (./app.js, ../v1/me) resolve under the prefix.
    if (rest === '') {
      const segment = path.slice(path.lastIndexOf('/') + 1);
      return new Response(null, { status: 308, headers: { ...headers('text/plain; charset=utf-8'), location: `${segment}/` } });
    }
    const name = rest === '/' ? 'index.html' : rest.slice(1);
    const contentType = FILES[name];
    if (!contentType) return notFound();
    const body = await load(name);
    if (!body) {
      return new Response('The console is not built: run `pnpm --filter @hmi/console build`.', {
        status: 503,
        headers: headers('text/plain; charset=utf-8'),
      });
    }
    return new Response(request.method === 'HEAD' ? null : body, { headers: headers(contentType) });
  };
}
