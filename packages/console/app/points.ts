import type { AuditRecord, Integration } from './api.js';
import { h, sparkline } from './dom.js';
import type { Key } from './i18n.js';
import { type Ctx, can, canRun } from './state.js';

const HOUR = 60 * 60 * 1000;

/** Exchanges per minute over the last hour, from the point's audit records. */
export function throughput(records: AuditRecord[], now: number): number {
  const recent = records.filter((r) => now - Date.parse(r.at) <= HOUR);
  return recent.length / 60;
}

/** Failure ratio in up to 12 buckets, oldest first (audit records arrive newest first). */
export function errorTrend(records: AuditRecord[], buckets = 12): number[] {
  const ordered = [...records].reverse();
  if (ordered.length === 0) return [];
  const size = Math.max(1, Math.ceil(ordered.length / buckets));
  const out: number[] = [];
  for (let i = 0; i < ordered.length; i += size) {
    const slice = ordered.slice(i, i + size);
    out.push(slice.filter((r) => r.outcome === 'failure' || r.outcome === 'dead').length / slice.length);
  }
  return out;
}

const STATUS_KEY: Record<Integration['status'], Key> = { ok: 'ok', failing: 'failing', idle: 'idle', running: 'running' };

export function statusBadge(ctx: Ctx, status: Integration['status']): HTMLElement {
  // Colour is never the only signal: the badge carries the word and a shape.
  const mark = { ok: '●', failing: '▲', idle: '○', running: '◆' }[status];
  return h(
    'span',
    { class: `badge badge-${status}`, 'data-status': status },
    h('span', { 'aria-hidden': 'true' }, mark),
    ` ${ctx.i18n.t(STATUS_KEY[status])}`,
  );
}

async function runPoint(ctx: Ctx, point: string): Promise<void> {
  try {
    await ctx.api.runIntegration(point);
    ctx.announce(`${point}: ${ctx.i18n.t('runStarted')}`);
  } catch (error) {
    ctx.announce(ctx.i18n.t('failed', { status: (error as { status?: number }).status ?? 0 }));
  }
}

function runButton(ctx: Ctx, p: Integration): HTMLElement | null {
  if (!can(ctx.me, 'runIntegration') || !canRun(ctx.me, p.id) || !p.canRun) return null;
  return h(
    'button',
    {
      type: 'button',
      class: 'btn',
      'data-key': `run:${p.id}`,
      'aria-label': `${ctx.i18n.t('runNow')}: ${p.id}`,
      onclick: () => void runPoint(ctx, p.id),
    },
    ctx.i18n.t('runNow'),
  );
}

export function pointsView(ctx: Ctx): HTMLElement {
  const { i18n, state } = ctx;
  const t = i18n.t;
  const items = state.integrations;
  const section = h('section', { 'aria-labelledby': 'points-title' }, h('h1', { id: 'points-title' }, t('points')));
  if (!items) return append(section, h('p', {}, t('loading')));
  const now = Date.now();
  const withHistory = can(ctx.me, 'listAudit');
  section.append(
    h('p', { class: 'muted', 'data-testid': 'points-count' }, t('count', { n: items.length })),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'grid', 'data-testid': 'points' },
        h('caption', { class: 'visually-hidden' }, t('points')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...(['point', 'status', 'lastRun', 'lag', 'throughput', 'errorRate', 'trend', 'deadLetters'] as const).map((k) =>
              h('th', { scope: 'col' }, t(k)),
            ),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('runNow'))),
          ),
        ),
        h(
          'tbody',
          {},
          ...items.map((p) => {
            const history = state.history.get(p.id) ?? [];
            const trend = errorTrend(history);
            return h(
              'tr',
              { 'data-point': p.id, class: `row-${p.status}` },
              h(
                'th',
                { scope: 'row' },
                h('a', { href: `#/points/${encodeURIComponent(p.id)}`, 'data-key': `point:${p.id}` }, p.id),
                p.description ? h('div', { class: 'muted small' }, p.description) : null,
              ),
              h(
                'td',
                {},
                statusBadge(ctx, p.status),
                p.lastErrorCode && p.status === 'failing' ? h('div', { class: 'small code' }, p.lastErrorCode) : null,
              ),
              h('td', {}, p.lastRunAt ? i18n.date(p.lastRunAt) : t('never')),
              h('td', {}, i18n.ago(p.lagSeconds)),
              h('td', {}, withHistory ? `${i18n.num(throughput(history, now), 1)}${t('perMin')}` : '—'),
              h('td', {}, i18n.percent(p.errorRate)),
              h(
                'td',
                {},
                withHistory && trend.length
                  ? sparkline(trend, `${t('trend')}: ${trend.map((v) => i18n.percent(v)).join(', ')}`)
                  : t('noData'),
              ),
              h(
                'td',
                {},
                can(ctx.me, 'listDeadLetters') && p.deadLetters > 0
                  ? h('a', { href: '#/dead-letters' }, i18n.num(p.deadLetters))
                  : i18n.num(p.deadLetters),
              ),
              h('td', {}, runButton(ctx, p)),
            );
          }),
        ),
      ),
    ),
  );
  return section;
}

function append(el: HTMLElement, child: Node): HTMLElement {
  el.append(child);
  return el;
}

/** A point's recent runs and failures (its audit records), with its status. */
export function pointView(ctx: Ctx, id: string): HTMLElement {
  const { i18n, state } = ctx;
  const t = i18n.t;
  const p = state.integrations?.find((x) => x.id === id);
  const section = h(
    'section',
    { 'aria-labelledby': 'point-title' },
    h('p', {}, h('a', { href: '#/points' }, t('back'))),
    h('h1', { id: 'point-title' }, id),
  );
  if (!p) return append(section, h('p', {}, state.integrations ? t('noData') : t('loading')));
  section.append(
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('status')),
      h('dd', {}, statusBadge(ctx, p.status)),
      h('dt', {}, t('lastRun')),
      h('dd', {}, p.lastRunAt ? i18n.date(p.lastRunAt) : t('never')),
      h('dt', {}, t('lag')),
      h('dd', {}, i18n.ago(p.lagSeconds)),
      h('dt', {}, t('errorRate')),
      h('dd', {}, i18n.percent(p.errorRate)),
      h('dt', {}, t('errorCode')),
      h('dd', { class: 'code' }, p.lastErrorCode ?? t('none')),
    ),
    runButton(ctx, p) ?? h('span'),
    h('h2', {}, t('recentRuns')),
  );
  if (!can(ctx.me, 'listAudit')) return append(section, h('p', { class: 'muted' }, t('forbidden', { scope: 'audit:read' })));
  section.append(auditTable(ctx, state.history.get(id) ?? []));
  return section;
}

/** A table of audit records (the point screen and the audit screen). */
export function auditTable(ctx: Ctx, records: AuditRecord[]): HTMLElement {
  const { i18n } = ctx;
  const t = i18n.t;
  if (records.length === 0) return h('p', { class: 'muted' }, t('noData'));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'grid', 'data-testid': 'audit' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...(['at', 'point', 'operation', 'outcome', 'errorCode', 'duration', 'records'] as const).map((k) =>
            h('th', { scope: 'col' }, t(k)),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...records.map((r) =>
          h(
            'tr',
            { class: r.outcome === 'failure' || r.outcome === 'dead' ? 'row-failing' : '' },
            h('td', {}, i18n.date(r.at)),
            h('td', { class: 'code' }, r.integrationPoint),
            h('td', { class: 'code' }, r.operation),
            h('td', {}, h('span', { class: `outcome outcome-${r.outcome}` }, r.outcome)),
            h('td', { class: 'code' }, r.errorCode ?? ''),
            h('td', {}, r.durationMs === null ? '' : `${i18n.num(r.durationMs)} ms`),
            h('td', { class: 'code small' }, r.recordIds.join(' ')),
          ),
        ),
      ),
    ),
  );
}
