import { h } from './dom.js';
import { auditTable } from './points.js';
import type { Ctx } from './state.js';

const OUTCOMES = ['success', 'failure', 'retry', 'dead', 'duplicate', 'rejected', 'skipped'];

/** Converts a datetime-local value (the user's local time) to the ISO instant the API takes. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : '');

async function load(ctx: Ctx, more: boolean): Promise<void> {
  const audit = ctx.state.audit;
  audit.loading = true;
  try {
    const page = await ctx.api.audit(audit.filter, more ? (audit.cursor ?? undefined) : undefined);
    audit.items = more ? [...(audit.items ?? []), ...page.items] : page.items;
    audit.cursor = page.nextCursor;
  } catch (e) {
    ctx.announce(ctx.i18n.t('failed', { status: (e as { status?: number }).status ?? 0 }));
    audit.items = [];
  }
  audit.loading = false;
  ctx.render();
}

/** The audit trail, filtered by point, operation, outcome and time, newest first, paged. */
export function auditView(ctx: Ctx): HTMLElement {
  const { i18n, state } = ctx;
  const t = i18n.t;
  const audit = state.audit;
  if (!audit.items && !audit.loading) void load(ctx, false);
  const field = (id: string, label: string, control: HTMLElement) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), control);
  const points = ['gateway', ...(state.integrations ?? []).map((p) => p.id)];
  const form = h(
    'form',
    {
      class: 'filters',
      'aria-label': t('filter'),
      onsubmit: (event: Event) => {
        event.preventDefault();
        const data = new FormData(event.target as HTMLFormElement);
        const filter: Record<string, string> = {};
        for (const name of ['integrationPoint', 'operation', 'outcome']) {
          const v = String(data.get(name) ?? '').trim();
          if (v) filter[name] = v;
        }
        for (const name of ['from', 'to']) {
          const local = String(data.get(name) ?? '');
          audit.local[name] = local;
          const v = toIso(local);
          if (v) filter[name] = v;
        }
        audit.filter = filter;
        audit.items = undefined;
        void load(ctx, false);
      },
    },
    field(
      'f-point',
      t('point'),
      h(
        'select',
        { id: 'f-point', name: 'integrationPoint' },
        h('option', { value: '' }, t('any')),
        ...points.map((p) => h('option', { value: p, selected: audit.filter.integrationPoint === p }, p)),
      ),
    ),
    field(
      'f-op',
      t('operation'),
      h('input', { id: 'f-op', name: 'operation', value: audit.filter.operation ?? '', autocomplete: 'off', dir: 'ltr' }),
    ),
    field(
      'f-outcome',
      t('outcome'),
      h(
        'select',
        { id: 'f-outcome', name: 'outcome' },
        h('option', { value: '' }, t('any')),
        ...OUTCOMES.map((o) => h('option', { value: o, selected: audit.filter.outcome === o }, o)),
      ),
    ),
    field('f-from', t('from'), h('input', { id: 'f-from', name: 'from', type: 'datetime-local', value: audit.local.from ?? '' })),
    field('f-to', t('to'), h('input', { id: 'f-to', name: 'to', type: 'datetime-local', value: audit.local.to ?? '' })),
    h(
      'div',
      { class: 'field field-buttons' },
      h('button', { type: 'submit', class: 'btn btn-primary', 'data-key': 'audit-filter' }, t('filter')),
      h(
        'button',
        {
          type: 'reset',
          class: 'btn',
          onclick: () => {
            audit.filter = {};
            audit.local = {};
            audit.items = undefined;
            void load(ctx, false);
          },
        },
        t('clear'),
      ),
    ),
  );
  const section = h('section', { 'aria-labelledby': 'audit-title' }, h('h1', { id: 'audit-title' }, t('audit')), form);
  if (!audit.items) section.append(h('p', {}, t('loading')));
  else {
    section.append(
      h('p', { class: 'muted', 'data-testid': 'audit-count' }, t('count', { n: audit.items.length })),
      auditTable(ctx, audit.items),
    );
    if (audit.cursor)
      section.append(
        h('button', { type: 'button', class: 'btn', 'data-key': 'audit-more', onclick: () => void load(ctx, true) }, t('more')),
      );
  }
  return section;
}
