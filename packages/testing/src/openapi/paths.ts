import type { OpenApiDocument } from './spec-cache.js';

/** A path template of the description, ready to match request paths. */
export interface PathEntry {
  template: string;
  item: Record<string, unknown>;
  regex: RegExp;
  names: string[];
  /** Characters outside `{…}` placeholders: more literal text wins over a looser template. */
  literalLength: number;
  /** Path prefixes of the servers this path is served under, longest first. */
  basePaths: string[];
}

/** The result of matching a URL path against the description's templates. */
export interface PathMatch {
  entry: PathEntry;
  params: Record<string, string>;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Servers = OpenApiDocument['servers'];

/** The path part of each server URL (variables filled with their defaults), longest first. */
export function serverBasePaths(servers: Servers): string[] {
  const paths = new Set<string>();
  for (const server of servers ?? []) {
    let url = server.url;
    for (const [name, variable] of Object.entries(server.variables ?? {})) url = url.replaceAll(`{${name}}`, variable.default);
    try {
      paths.add(new URL(url, 'https://placeholder.invalid').pathname.replace(/\/+$/, ''));
    } catch {
      // A server URL we cannot parse contributes no base path.
    }
  }
  if (paths.size === 0) paths.add('');
  return [...paths].sort((a, b) => b.length - a.length);
}

/** Indexes every path template of the description. */
export function indexPaths(doc: OpenApiDocument): PathEntry[] {
  const rootBases = serverBasePaths(doc.servers);
  return Object.entries(doc.paths ?? {}).map(([template, item]) => {
    const names: string[] = [];
    let source = '';
    let last = 0;
    const param = /\{([^}]+)\}/g;
    for (let m = param.exec(template); m; m = param.exec(template)) {
      source += escapeRegExp(template.slice(last, m.index));
      source += '([^/]+?)';
      names.push(m[1]!);
      last = m.index + m[0].length;
    }
    source += escapeRegExp(template.slice(last));
    const pathServers = (item as { servers?: Servers }).servers;
    return {
      template,
      item,
      regex: new RegExp(`^${source}$`),
      names,
      literalLength: template.replace(param, '').length,
      basePaths: pathServers?.length ? serverBasePaths(pathServers) : rootBases,
    };
  });
}

/**
 * Finds the template a URL path belongs to, after stripping the servers' base path. When several
 * match (`/v1/customers/search` and `/v1/customers/{customer}`), the most literal one wins.
 */
export function matchPath(entries: PathEntry[], pathname: string): PathMatch | undefined {
  let best: PathMatch | undefined;
  for (const entry of entries) {
    for (const base of entry.basePaths) {
      if (base && pathname !== base && !pathname.startsWith(`${base}/`)) continue;
      const rest = pathname.slice(base.length) || '/';
      const m = entry.regex.exec(rest);
      if (!m) continue;
      if (!best || entry.literalLength > best.entry.literalLength) {
        const params: Record<string, string> = {};
        entry.names.forEach((name, i) => {
          params[name] = safeDecode(m[i + 1]!);
        });
        best = { entry, params };
      }
      break;
    }
  }
  return best;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
