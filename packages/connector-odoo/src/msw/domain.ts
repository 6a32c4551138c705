// Odoo's search domains, as the ORM documentation describes them: a list of criteria
// `[field, operator, value]` in prefix (Polish) notation with `&` (arity 2, the implicit default
// between consecutive criteria), `|` (arity 2) and `!` (arity 1).
// https://www.odoo.com/documentation/19.0/developer/reference/backend/orm.html#search-domains

/** A fault the fake raises the way Odoo does: an exception class name and its message. */
export class OdooFault extends Error {
  constructor(
    readonly exception: string,
    message: string,
    readonly debug?: string,
  ) {
    super(message);
    this.name = 'OdooFault';
  }
}

/** Resolves translatable values (`{ en_US: 'Marketing', ar_001: 'التسويق' }`) in a language. */
export function inLang(value: unknown, lang: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => inLang(v, lang));
  if (value && typeof value === 'object') {
    const translations = value as Record<string, unknown>;
    if ('en_US' in translations) return (lang && translations[lang]) ?? translations.en_US;
  }
  return value;
}

type Node =
  | { op: '&' | '|'; a: Node; b: Node }
  | { op: '!'; a: Node }
  | { op: 'leaf'; field: string; operator: string; value: unknown };

/** A record as the fake stores it: many2one as `[id, name]`, x2many as id arrays. */
export type FakeRecord = Record<string, unknown> & { id: number };

const OPERATORS = new Set([
  '=',
  '!=',
  '<>',
  '>',
  '>=',
  '<',
  '<=',
  'in',
  'not in',
  'like',
  'ilike',
  'not like',
  'not ilike',
  '=like',
  '=ilike',
]);

/** Parses a domain into a tree; a malformed one is Odoo's `ValueError: Invalid domain`. */
export function parseDomain(domain: unknown, hasField: (path: string) => boolean): Node | undefined {
  if (!Array.isArray(domain)) throw new OdooFault('builtins.ValueError', 'Invalid domain: not a list');
  if (domain.length > 10_000) throw new OdooFault('builtins.ValueError', 'Invalid domain: too long');
  const stack: Node[] = [];
  for (let i = domain.length - 1; i >= 0; i--) {
    const token = domain[i];
    if (token === '&' || token === '|') {
      const a = stack.pop();
      const b = stack.pop();
      if (!a || !b) throw new OdooFault('builtins.ValueError', `Invalid domain: ${token} needs two operands`);
      stack.push({ op: token, a, b });
    } else if (token === '!') {
      const a = stack.pop();
      if (!a) throw new OdooFault('builtins.ValueError', 'Invalid domain: ! needs an operand');
      stack.push({ op: '!', a });
    } else if (Array.isArray(token) && token.length === 3 && typeof token[0] === 'string' && typeof token[1] === 'string') {
      const [field, operator, value] = token as [string, string, unknown];
      if (!OPERATORS.has(operator)) throw new OdooFault('builtins.ValueError', `Invalid domain operator ${operator}`);
      if (!hasField(field)) throw new OdooFault('builtins.ValueError', `Invalid field ${field} in domain`);
      stack.push({ op: 'leaf', field, operator, value });
    } else {
      throw new OdooFault('builtins.ValueError', 'Invalid domain term');
    }
  }
  // Consecutive criteria are ANDed.
  let node = stack.pop();
  while (stack.length > 0) node = { op: '&', a: node!, b: stack.pop()! };
  return node;
}

function likePattern(pattern: string, anchored: boolean, insensitive: boolean): RegExp {
  const escaped = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(anchored ? `^${escaped}$` : escaped, insensitive ? 'is' : 's');
}

/** The comparable value(s) of a field: a many2one compares by id, `field.name` by its name. */
function valuesOf(record: FakeRecord, path: string, lang: string | undefined): unknown[] {
  const [field, sub] = path.split('.');
  // Translated values compare in the request's language, as Odoo's jsonb translations do.
  const raw = inLang(record[field!], lang);
  if (sub === 'name') return Array.isArray(raw) && raw.length === 2 && typeof raw[0] === 'number' ? [raw[1]] : [false];
  if (Array.isArray(raw)) {
    if (raw.length === 2 && typeof raw[0] === 'number' && typeof raw[1] === 'string') return [raw[0]];
    return raw.length ? raw : [false];
  }
  return [raw ?? false];
}

function compare(actual: unknown, operator: string, value: unknown): boolean {
  switch (operator) {
    case '=':
      return actual === value || (value === false && (actual === null || actual === '' || actual === false));
    case '!=':
    case '<>':
      return !compare(actual, '=', value);
    case 'in':
      return Array.isArray(value) && value.some((v) => compare(actual, '=', v));
    case 'not in':
      return !(Array.isArray(value) && value.some((v) => compare(actual, '=', v)));
  }
  if (actual === false || actual === null || actual === undefined) return false;
  if (operator.includes('like')) {
    if (typeof value !== 'string' || typeof actual !== 'string') return false;
    const anchored = operator.startsWith('=');
    const pattern = anchored ? value : `%${value}%`;
    const hit = likePattern(pattern, true, operator.includes('ilike')).test(actual);
    return operator.startsWith('not') ? !hit : hit;
  }
  const a = actual as number | string;
  const b = value as number | string;
  if (operator === '>') return a > b;
  if (operator === '>=') return a >= b;
  if (operator === '<') return a < b;
  return a <= b;
}

/** Whether `record` matches the parsed domain (no domain matches everything). */
export function matches(node: Node | undefined, record: FakeRecord, lang?: string): boolean {
  if (!node) return true;
  switch (node.op) {
    case '&':
      return matches(node.a, record, lang) && matches(node.b, record, lang);
    case '|':
      return matches(node.a, record, lang) || matches(node.b, record, lang);
    case '!':
      return !matches(node.a, record, lang);
    default: {
      const values = valuesOf(record, node.field, lang);
      // Negative operators on a multi-valued field hold only when no value matches.
      if (node.operator === 'not in' || node.operator === '!=' || node.operator === '<>') {
        return values.every((v) => compare(v, node.operator, node.value));
      }
      return values.some((v) => compare(v, node.operator, node.value));
    }
  }
}

/** Sorts by an Odoo `order` string (`write_date asc, id asc`); ids break remaining ties. */
export function sortRecords(records: FakeRecord[], order: unknown, hasField: (f: string) => boolean): FakeRecord[] {
  const terms = (typeof order === 'string' && order.trim() ? order : 'id asc').split(',').map((term) => {
    const [field = '', direction = 'asc'] = term.trim().split(/\s+/);
    if (!hasField(field) || !/^(asc|desc)$/i.test(direction))
      throw new OdooFault('builtins.ValueError', `Invalid "order" specified (${term.trim()})`);
    return { field, sign: direction.toLowerCase() === 'desc' ? -1 : 1 };
  });
  const key = (r: FakeRecord, field: string) => {
    const v = r[field];
    return Array.isArray(v) ? v[0] : v;
  };
  return [...records].sort((x, y) => {
    for (const { field, sign } of terms) {
      const a = key(x, field) as unknown;
      const b = key(y, field) as unknown;
      if (a === b) continue;
      // Odoo sorts empty values (NULL) last in ascending order.
      if (a === false || a === undefined || a === null) return sign;
      if (b === false || b === undefined || b === null) return -sign;
      return ((a as number | string) < (b as number | string) ? -1 : 1) * sign;
    }
    return x.id - y.id;
  });
}
