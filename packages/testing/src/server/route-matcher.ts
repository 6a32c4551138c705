/** A route's matcher, compiled once. */
export interface CompiledRoute {
  /** Upper-case method or `*`. */
  method: string;
  /** The captured path parameters when the request matches, else undefined. */
  test(method: string, url: URL): Record<string, string> | undefined;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Compiles a route: a string template (`/v1/charges/:id` or `/v1/charges/{id}`) is matched
 * exactly against the URL path below the base URL's path, on the base URL's origin; a RegExp is
 * tested against the whole URL path on that origin (named groups become parameters).
 */
export function compileRoute(method: string, path: string | RegExp, baseUrl: string): CompiledRoute {
  const base = new URL(baseUrl);
  const origin = base.origin;
  const basePath = base.pathname.replace(/\/+$/, '');
  const wantedMethod = method.toUpperCase();
  let pattern: RegExp;
  let names: string[] = [];
  if (typeof path === 'string') {
    const template = `${basePath}${path.startsWith('/') ? path : `/${path}`}`;
    let source = '';
    let last = 0;
    const param = /:([A-Za-z_][A-Za-z0-9_]*)|\{([^}/]+)\}/g;
    for (let m = param.exec(template); m; m = param.exec(template)) {
      source += escapeRegExp(template.slice(last, m.index));
      source += '([^/]+)';
      names.push((m[1] ?? m[2])!);
      last = m.index + m[0].length;
    }
    source += escapeRegExp(template.slice(last));
    pattern = new RegExp(`^${source}$`);
  } else {
    pattern = path;
    names = [];
  }
  return {
    method: wantedMethod,
    test(requestMethod, url) {
      if (wantedMethod !== '*' && requestMethod.toUpperCase() !== wantedMethod) return undefined;
      if (url.origin !== origin) return undefined;
      pattern.lastIndex = 0;
      const m = pattern.exec(url.pathname);
      if (!m) return undefined;
      const params: Record<string, string> = { ...m.groups };
      names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] ?? '');
      });
      return params;
    },
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
