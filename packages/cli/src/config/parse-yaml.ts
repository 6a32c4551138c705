import { Composer, CST, type Document, isAlias, isCollection, isPair, LineCounter, Lexer, type Node, Parser } from 'yaml';
import type { ConfigIssue } from './issues.js';

/** Limits that keep a hostile config from exhausting memory or the stack. */
export const CONFIG_LIMITS = Object.freeze({
  /** Bytes of config text. Real configs are a few kilobytes. */
  maxBytes: 512 * 1024,
  /** Nesting of collections (maps, sequences, flow `[`/`{`). The config schema needs six. */
  maxDepth: 64,
  /** Alias resolutions while building the data (YAML's "billion laughs" guard). */
  maxAliasCount: 100,
});

/** A config text parsed once: the document and the line counter its positions use. */
export type ParsedYaml =
  | { ok: true; doc: Document.Parsed; data: unknown; lineCounter: LineCounter }
  | { ok: false; issues: ConfigIssue[] };

/**
 * Parses YAML (or JSON) once, within {@link CONFIG_LIMITS}: the size is checked first, flow
 * nesting while lexing (so `[[[[…` is refused before a tree is built), block nesting on the
 * concrete syntax tree (walked with a loop, not recursion), and aliases while building the data.
 * Every refusal is an issue with a line and a column; nothing throws.
 */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const at = (offset: number, message: string): ParsedYaml => {
    const pos = lineCounter.linePos(offset);
    return { ok: false, issues: [{ path: [], message: `YAML: ${message}`, line: pos.line, column: pos.col }] };
  };
  if (Buffer.byteLength(text, 'utf8') > CONFIG_LIMITS.maxBytes) {
    return {
      ok: false,
      issues: [{ path: [], message: `YAML: the file is larger than ${CONFIG_LIMITS.maxBytes} bytes`, line: 1, column: 1 }],
    };
  }
  const flowOffset = deepFlowOffset(text);
  if (flowOffset !== undefined) {
    countLines(lineCounter, text);
    return at(flowOffset, `nesting deeper than ${CONFIG_LIMITS.maxDepth} levels`);
  }
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const deep = deepTokenOffset(tokens);
  if (deep !== undefined) return at(deep, `nesting deeper than ${CONFIG_LIMITS.maxDepth} levels`);
  const docs = [...new Composer({ prettyErrors: false, uniqueKeys: true }).compose(tokens, true, text.length)];
  const doc = docs[0];
  if (!doc) return at(0, 'no document');
  if (docs.length > 1) return at(docs[1]?.range[0] ?? 0, 'one document expected, found several');
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { path: [], message: `YAML: ${e.code.toLowerCase().replace(/_/g, ' ')}`, line: pos.line, column: pos.col };
      }),
    };
  }
  try {
    return { ok: true, doc, data: doc.toJS({ maxAliasCount: CONFIG_LIMITS.maxAliasCount }) as unknown, lineCounter };
  } catch (error) {
    // The yaml library throws a plain ReferenceError for an alias to a missing anchor and for
    // alias expansion beyond maxAliasCount: both become a positioned issue.
    const message = error instanceof Error ? error.message : '';
    const missing = /unresolved alias/i.test(message);
    const alias = firstAlias(doc, missing);
    return at(
      alias?.range?.[0] ?? 0,
      missing
        ? 'alias to an anchor that is not defined before it'
        : `aliases expand too much (more than ${CONFIG_LIMITS.maxAliasCount} resolutions)`,
    );
  }
}

/** Feeds the line counter without building a tree (for a refusal before parsing). */
function countLines(lineCounter: LineCounter, text: string): void {
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
}

/**
 * The offset where flow collections (`[`, `{`) nest deeper than the limit, from the lexer's
 * tokens (which know quoted strings and comments). Control tokens of the lexer hold no source.
 */
function deepFlowOffset(text: string): number | undefined {
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type === 'flow-map-start' || type === 'flow-seq-start') {
      depth++;
      if (depth > CONFIG_LIMITS.maxDepth) return offset;
    } else if (type === 'flow-map-end' || type === 'flow-seq-end') {
      depth = Math.max(0, depth - 1);
    }
    if (token !== CST.DOCUMENT && token !== CST.FLOW_END && token !== CST.SCALAR) offset += token.length;
  }
  return undefined;
}

/** The offset of the first collection nested deeper than the limit in the CST, walked with a stack. */
function deepTokenOffset(tokens: readonly CST.Token[]): number | undefined {
  const stack: Array<[CST.Token | undefined, number]> = tokens.map((t) => [t, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop() as [CST.Token | undefined, number];
    if (!token) continue;
    if (token.type === 'document') {
      stack.push([token.value, depth]);
      continue;
    }
    if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > CONFIG_LIMITS.maxDepth) return token.offset;
      for (const item of token.items as Array<{ key?: CST.Token | null; value?: CST.Token }>) {
        if (item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    }
  }
  return undefined;
}

/** The first alias in document order (an unresolved one when `unresolved`), walked with a stack. */
function firstAlias(doc: Document.Parsed, unresolved: boolean): Node | undefined {
  const stack: unknown[] = [doc.contents];
  let first: Node | undefined;
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      if (unresolved ? node.resolve(doc) === undefined : true) {
        if (!first || (node.range?.[0] ?? 0) < (first.range?.[0] ?? 0)) first = node;
      }
    } else if (isCollection(node)) {
      for (const item of node.items) {
        if (isPair(item)) stack.push(item.key, item.value);
        else stack.push(item);
      }
    }
  }
  return first;
}
