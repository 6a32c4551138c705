import { type HttpHandler, HttpResponse, http } from 'msw';
import { type FakeRecord, OdooFault } from './domain.js';
import { createMove, createPayments, postMoves } from './fake-accounting.js';
import { FAKE_MODELS, FakeOrm } from './fake-orm.js';

/** Options of {@link createFakeOdoo}. */
export interface FakeOdooOptions {
  /** Default `https://odoo.test`. */
  baseUrl?: string;
  /** The only API key accepted. Default: any key of 8+ characters. */
  apiKey?: string;
  /** The database name; JSON-RPC calls must name it, JSON-2's `X-Odoo-Database` must match when sent. Default `hospital`. */
  database?: string;
  /** The login JSON-RPC's `authenticate` accepts. Default `integration@hospital.example`. */
  login?: string;
  /** The clock that stamps `write_date`. Default the wall clock. */
  now?: () => Date;
  /** Models the API user has no access rights on: every call answers `AccessError`. */
  denyModels?: readonly string[];
}

/** An injected fault: an Odoo exception (with its `debug` traceback), or a bare HTTP status from a proxy. */
export type FakeOdooFault =
  | { exception: string; message?: string; debug?: string; status?: number; model?: string; method?: string }
  | {
      httpStatus: number;
      model?: string;
      method?: string;
      /** Run the call (and commit) before answering the status: a response lost after the fact. */
      afterExecute?: boolean;
    };

/** One call the fake received. */
export interface FakeOdooRequest {
  protocol: 'json2' | 'jsonrpc';
  model: string;
  method: string;
  ids: number[] | undefined;
  params: Record<string, unknown>;
  context: Record<string, unknown>;
  /** The `X-Hmi-Call-Id` header: the same on every attempt of one read. */
  callId: string | null;
}

/** The fake's state, for tests to seed and inspect. */
export interface FakeOdooState {
  readonly orm: FakeOrm;
  readonly requests: FakeOdooRequest[];
  /** Inserts a record as given (`write_date` kept when set) and returns it. */
  insert(model: string, values: Record<string, unknown>): FakeRecord;
  /** The records of a model, by id order. */
  records(model: string): FakeRecord[];
  /** Fails the next `count` matching calls with `fault`. */
  failNext(fault: FakeOdooFault, count?: number): void;
}

const UID = 2;

/** The HTTP status Odoo's JSON-2 endpoint answers an exception with. */
function statusOf(exception: string): number {
  const short = exception.split('.').at(-1);
  if (short === 'AccessDenied' || short === 'Unauthorized') return 401;
  if (short === 'AccessError') return 403;
  if (short === 'MissingError' || short === 'NotFound') return 404;
  if (short === 'UserError' || short === 'ValidationError' || short === 'RedirectWarning') return 422;
  if (short === 'ValueError' || short === 'BadRequest' || short === 'AttributeError') return 400;
  return 500;
}

function traceback(fault: OdooFault): string {
  return (
    fault.debug ??
    `Traceback (most recent call last):\n  File "/opt/odoo/odoo/service/model.py", line 176, in retrying\n${fault.exception}: ${fault.message}\n`
  );
}

/**
 * A fake Odoo for MSW, written from Odoo's External JSON-2 API and External RPC API documentation
 * and the ORM reference (domains, `search_read`, `search_count`, `create`/`write`). It answers
 * both `POST /json/2/<model>/<method>` (bearer API key, `X-Odoo-Database`, named arguments,
 * errors as 4xx/5xx `{ name, message, arguments, context, debug }`) and `POST /jsonrpc`
 * (`common.authenticate`, `object.execute_kw`, errors as `error.data.name`). Fresh state per call.
 */
export function createFakeOdoo(options: FakeOdooOptions = {}): { handlers: HttpHandler[]; state: FakeOdooState } {
  const base = (options.baseUrl ?? 'https://odoo.test').replace(/\/+$/, '');
  const database = options.database ?? 'hospital';
  const login = options.login ?? 'integration@hospital.example';
  const orm = new FakeOrm(options.now ?? (() => new Date()));
  const requests: FakeOdooRequest[] = [];
  const faults: FakeOdooFault[] = [];
  const keyOk = (key: unknown) =>
    typeof key === 'string' && (options.apiKey === undefined ? key.length >= 8 : key === options.apiKey);

  const state: FakeOdooState = {
    orm,
    requests,
    insert: (model, values) => orm.insert(model, values),
    records: (model) => [...orm.table(model).values()].sort((a, b) => a.id - b.id),
    failNext(fault, count = 1) {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
  };

  const takeFault = (model: string, method: string) => {
    const index = faults.findIndex(
      (f) => (f.model === undefined || f.model === model) && (f.method === undefined || f.method === method),
    );
    return index === -1 ? undefined : faults.splice(index, 1)[0];
  };

  function execute(
    model: string,
    method: string,
    ids: number[] | undefined,
    params: Record<string, unknown>,
    context: Record<string, unknown>,
  ): unknown {
    const lang = typeof context.lang === 'string' ? context.lang : undefined;
    const activeTest = context.active_test !== false;
    orm.table(model);
    if (options.denyModels?.includes(model)) {
      throw new OdooFault('odoo.exceptions.AccessError', `You are not allowed to access '${model}' records.`);
    }
    switch (method) {
      case 'search_read':
        return orm.project(model, orm.search(model, params, lang, activeTest), params.fields, lang);
      case 'search':
        return orm.search(model, params, lang, activeTest).map((r) => r.id);
      case 'search_count':
        return orm.search(model, { domain: params.domain, limit: params.limit }, lang, activeTest).length;
      case 'read': {
        const rows = (ids ?? []).map((id) => {
          const row = orm.table(model).get(id);
          if (!row) throw new OdooFault('odoo.exceptions.MissingError', 'Record does not exist or has been deleted.');
          return row;
        });
        return orm.project(model, rows, params.fields, lang);
      }
      case 'create': {
        const list = Array.isArray(params.vals_list) ? params.vals_list : params.vals_list ? [params.vals_list] : [];
        if (list.length === 0)
          throw new OdooFault('builtins.TypeError', "create() missing 1 required positional argument: 'vals_list'");
        const ids = list.map((vals: Record<string, unknown>) => create(model, vals, context).id);
        // One dict in, one id out (as Odoo's `create` answers); a list in, a list out.
        return Array.isArray(params.vals_list) ? ids : ids[0];
      }
      case 'write': {
        const vals = params.vals as Record<string, unknown> | undefined;
        if (!vals || typeof vals !== 'object')
          throw new OdooFault('builtins.TypeError', "write() missing 1 required positional argument: 'vals'");
        for (const key of Object.keys(vals))
          if (!orm.hasField(model, key)) throw new OdooFault('builtins.ValueError', `Invalid field '${key}' on model '${model}'`);
        for (const id of ids ?? []) orm.update(model, id, vals);
        return true;
      }
      case 'fields_get':
        return Object.fromEntries(
          ['id', 'write_date', 'create_date', ...(FAKE_MODELS[model] ?? [])].map((f) => [
            f,
            { type: f.endsWith('_id') ? 'many2one' : 'char', string: f },
          ]),
        );
      case 'action_post':
        if (model === 'account.move') return postMoves(orm, ids ?? []);
        break;
      case 'action_create_payments':
        if (model === 'account.payment.register' && ids?.[0] !== undefined) return createPayments(orm, ids[0]);
        break;
    }
    throw new OdooFault('builtins.AttributeError', `The method '${method}' does not exist on the model '${model}'`);
  }

  function create(model: string, vals: Record<string, unknown>, context: Record<string, unknown>): FakeRecord {
    for (const key of Object.keys(vals)) {
      if (!orm.hasField(model, key) && key !== 'invoice_line_ids')
        throw new OdooFault('builtins.ValueError', `Invalid field '${key}' on model '${model}'`);
    }
    if (model === 'account.move') return createMove(orm, vals);
    if (model === 'account.payment.register') {
      return orm.insert(model, { ...vals, active_model: context.active_model, active_ids: context.active_ids });
    }
    if (model === 'ir.model.data') {
      const clash = [...orm.table(model).values()].some((r) => r.module === vals.module && r.name === vals.name);
      // Odoo turns the (module, name) unique violation into a ValidationError.
      if (clash)
        throw new OdooFault(
          'odoo.exceptions.ValidationError',
          'The operation cannot be completed: another record has the same external id',
        );
    }
    if (model === 'res.partner' && (typeof vals.name !== 'string' || vals.name.trim() === '')) {
      throw new OdooFault('odoo.exceptions.ValidationError', 'Contacts require a name');
    }
    return orm.insert(model, vals);
  }

  /** Runs one call: records it, answers injected faults, and returns the result or a fault. */
  function dispatch(
    request: Omit<FakeOdooRequest, 'protocol'> & { protocol: FakeOdooRequest['protocol'] },
  ): { result: unknown } | { fault: OdooFault; status?: number } | { httpStatus: number } {
    requests.push(request);
    const injected = takeFault(request.model, request.method);
    if (injected && 'httpStatus' in injected) {
      if (injected.afterExecute) {
        try {
          execute(request.model, request.method, request.ids, request.params, request.context);
        } catch {
          // The client never learns how it went: that is the point of this fault.
        }
      }
      return { httpStatus: injected.httpStatus };
    }
    if (injected) {
      return {
        fault: new OdooFault(injected.exception, injected.message ?? 'injected fault', injected.debug),
        ...(injected.status !== undefined && { status: injected.status }),
      };
    }
    try {
      return { result: execute(request.model, request.method, request.ids, request.params, request.context) };
    } catch (error) {
      if (error instanceof OdooFault) return { fault: error };
      throw error;
    }
  }

  const json2 = http.post(`${base}/json/2/:model/:method`, async ({ request, params }) => {
    const unauthorized = (message: string) =>
      HttpResponse.json(
        { name: 'werkzeug.exceptions.Unauthorized', message, arguments: [message, 401], context: {}, debug: '' },
        { status: 401 },
      );
    const match = /^bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
    if (!match || !keyOk(match[1])) return unauthorized('Invalid apikey');
    const db = request.headers.get('x-odoo-database');
    if (db !== null && db !== database) return unauthorized('database not found');
    let body: Record<string, unknown>;
    try {
      body = (await request.json()) as Record<string, unknown>;
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    } catch {
      return HttpResponse.json(
        { name: 'werkzeug.exceptions.BadRequest', message: 'Invalid JSON body', arguments: [], context: {}, debug: '' },
        { status: 400 },
      );
    }
    const { ids, context, ...rest } = body;
    const ctx = (context && typeof context === 'object' ? context : {}) as Record<string, unknown>;
    const outcome = dispatch({
      protocol: 'json2',
      model: String(params.model),
      method: String(params.method),
      ids: Array.isArray(ids) ? (ids as number[]) : undefined,
      params: rest,
      context: ctx,
      callId: request.headers.get('x-hmi-call-id'),
    });
    if ('httpStatus' in outcome)
      return new HttpResponse('<html>upstream unavailable</html>', {
        status: outcome.httpStatus,
        headers: { 'content-type': 'text/html' },
      });
    if ('fault' in outcome) {
      const { fault } = outcome;
      return HttpResponse.json(
        { name: fault.exception, message: fault.message, arguments: [fault.message], context: ctx, debug: traceback(fault) },
        { status: outcome.status ?? statusOf(fault.exception) },
      );
    }
    return HttpResponse.json(outcome.result as never);
  });

  const jsonrpc = http.post(`${base}/jsonrpc`, async ({ request }) => {
    const body = (await request.json().catch(() => undefined)) as
      | { id?: unknown; params?: { service?: unknown; method?: unknown; args?: unknown } }
      | undefined;
    const id = body?.id ?? null;
    const reply = (payload: Record<string, unknown>) => HttpResponse.json({ jsonrpc: '2.0', id, ...payload });
    const failure = (fault: OdooFault) =>
      reply({
        error: {
          code: 200,
          message: 'Odoo Server Error',
          data: {
            name: fault.exception,
            debug: traceback(fault),
            message: fault.message,
            arguments: [fault.message],
            context: {},
          },
        },
      });
    const args = Array.isArray(body?.params?.args) ? (body.params.args as unknown[]) : [];
    const service = body?.params?.service;
    const method = body?.params?.method;
    if (service === 'common' && method === 'version') return reply({ result: { server_version: '17.0', protocol_version: 1 } });
    if (service === 'common' && (method === 'authenticate' || method === 'login')) {
      return reply({ result: args[0] === database && args[1] === login && keyOk(args[2]) ? UID : false });
    }
    if (service !== 'object' || method !== 'execute_kw')
      return failure(new OdooFault('builtins.NameError', 'unknown service or method'));
    const [db, uid, key, model, method2, positional, kwargs] = args as [
      unknown,
      unknown,
      unknown,
      unknown,
      unknown,
      unknown,
      unknown,
    ];
    if (db !== database || uid !== UID || !keyOk(key))
      return failure(new OdooFault('odoo.exceptions.AccessDenied', 'Access Denied'));
    const { context, ...rest } = (kwargs && typeof kwargs === 'object' ? kwargs : {}) as Record<string, unknown>;
    // Positional arguments as the External API documentation shows them: ids first for record
    // methods; the domain of search*, the values of create, the ids and values of write.
    const list = Array.isArray(positional) ? [...positional] : [];
    const name = String(method2);
    const recordMethod = !['search_read', 'search', 'search_count', 'create'].includes(name);
    const first = recordMethod ? list.shift() : undefined;
    if (['search_read', 'search', 'search_count'].includes(name) && list.length) rest.domain = list.shift();
    if (name === 'search_read' && list.length) rest.fields = list.shift();
    if (name === 'create' && list.length) rest.vals_list = list.shift();
    if (name === 'write' && list.length) rest.vals = list.shift();
    if (name === 'read' && list.length) rest.fields = list.shift();
    const outcome = dispatch({
      protocol: 'jsonrpc',
      model: String(model),
      method: String(method2),
      ids: Array.isArray(first) ? (first as number[]) : undefined,
      params: rest,
      context: (context && typeof context === 'object' ? context : {}) as Record<string, unknown>,
      callId: request.headers.get('x-hmi-call-id'),
    });
    if ('httpStatus' in outcome)
      return new HttpResponse('<html>upstream unavailable</html>', {
        status: outcome.httpStatus,
        headers: { 'content-type': 'text/html' },
      });
    if ('fault' in outcome) return failure(outcome.fault);
    return reply({ result: outcome.result });
  });

  return { handlers: [json2, jsonrpc], state };
}
