import type { DeadLetter } from './api.js';
import { h } from './dom.js';
import { type Ctx, can } from './state.js';

/** A modal <dialog>: focus moves in, Escape closes it, focus returns to the opener. */
function openDialog(title: string, body: Node[], actions: HTMLElement[]): HTMLDialogElement {
  const opener = document.activeElement as HTMLElement | null;
  const titleId = `dlg-${crypto.randomUUID()}`;
  const dialog = h(
    'dialog',
    { 'aria-labelledby': titleId, class: 'dialog' },
    h('h2', { id: titleId }, title),
    ...body,
    h('div', { class: 'actions' }, ...actions),
  );
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener?.isConnected) opener.focus();
    else document.querySelector<HTMLElement>(`[data-key="${opener?.dataset.key ?? ''}"]`)?.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

function confirmAction(ctx: Ctx, message: string, label: string, danger: boolean, act: () => Promise<void>): void {
  const t = ctx.i18n.t;
  const error = h('p', { role: 'alert', class: 'error' });
  const ok = h(
    'button',
    { type: 'button', class: danger ? 'btn btn-danger' : 'btn btn-primary', 'data-testid': 'confirm' },
    label,
  );
  const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': 'cancel' }, t('cancel'));
  // Cancel first and focused: Enter on an opened confirmation does not destroy anything.
  const dialog = openDialog(t('confirm'), [h('p', {}, message), error], [cancel, ok]);
  cancel.focus();
  cancel.addEventListener('click', () => dialog.close());
  ok.addEventListener('click', async () => {
    ok.disabled = true;
    try {
      await act();
      dialog.close();
    } catch (e) {
      error.textContent = t('failed', { status: (e as { status?: number }).status ?? 0 });
      ok.disabled = false;
    }
  });
}

async function inspect(ctx: Ctx, id: string): Promise<void> {
  const t = ctx.i18n.t;
  let d: DeadLetter;
  try {
    d = await ctx.api.deadLetter(id);
  } catch (e) {
    ctx.announce(t('failed', { status: (e as { status?: number }).status ?? 0 }));
    return;
  }
  const close = h('button', { type: 'button', class: 'btn' }, t('close'));
  const rows: Array<[string, string]> = [
    [t('id'), d.id],
    [t('point'), d.integrationPoint ?? '—'],
    [t('topic'), d.topic],
    [t('error'), d.error ? `${d.error.name} · ${d.error.code}${d.error.status ? ` · ${d.error.status}` : ''}` : '—'],
    [t('attempts'), ctx.i18n.num(d.attempts)],
    [t('replays'), ctx.i18n.num(d.replays)],
    [t('created'), ctx.i18n.date(d.createdAt)],
  ];
  const payload =
    'payload' in d
      ? h('pre', { class: 'payload', 'data-testid': 'payload', tabindex: 0 }, JSON.stringify(d.payload, null, 2))
      : h('p', { class: 'muted', 'data-testid': 'payload-hidden' }, t('payloadHidden'));
  const dialog = openDialog(
    `${t('inspect')}: ${d.id}`,
    [
      h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { class: 'code' }, v)])),
      h('h3', {}, t('payload')),
      payload,
    ],
    [close],
  );
  close.addEventListener('click', () => dialog.close());
  close.focus();
}

function remove(ctx: Ctx, id: string): void {
  ctx.state.deadLetters = ctx.state.deadLetters?.filter((d) => d.id !== id);
}

/** The dead-letter queue: inspect, and replay or purge with a confirmation, as the scopes allow. */
export function deadLettersView(ctx: Ctx): HTMLElement {
  const { i18n, state, me } = ctx;
  const t = i18n.t;
  const section = h('section', { 'aria-labelledby': 'dlq-title' }, h('h1', { id: 'dlq-title' }, t('deadLetters')));
  const items = state.deadLetters;
  if (!items) {
    section.append(h('p', {}, t('loading')));
    return section;
  }
  const mayReplay = can(me, 'replayDeadLetter');
  const mayPurge = can(me, 'purgeDeadLetter');
  section.append(h('p', { class: 'muted', 'data-testid': 'dead-letters-count' }, t('count', { n: items.length })));
  if (items.length === 0) {
    section.append(h('p', { 'data-testid': 'dead-letters-empty' }, t('none')));
    return section;
  }
  const replay = (d: DeadLetter) =>
    confirmAction(ctx, t('confirmReplay', { id: d.id }), t('replay'), false, async () => {
      await ctx.api.replay(d.id);
      remove(ctx, d.id);
      ctx.announce(t('replayed', { id: d.id }));
      ctx.render();
      void ctx.reload('points');
    });
  const purge = (d: DeadLetter) =>
    confirmAction(ctx, t('confirmPurge', { id: d.id }), t('purge'), true, async () => {
      await ctx.api.purge(d.id);
      remove(ctx, d.id);
      ctx.announce(t('purged', { id: d.id }));
      ctx.render();
      void ctx.reload('points');
    });
  section.append(
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'grid', 'data-testid': 'dead-letters' },
        h('caption', { class: 'visually-hidden' }, t('deadLetters')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...(['id', 'point', 'error', 'attempts', 'replays', 'created'] as const).map((k) => h('th', { scope: 'col' }, t(k))),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('inspect'))),
          ),
        ),
        h(
          'tbody',
          {},
          ...items.map((d) =>
            h(
              'tr',
              { 'data-dead-letter': d.id },
              h('th', { scope: 'row', class: 'code' }, d.id),
              h('td', { class: 'code' }, d.integrationPoint ?? '—'),
              h('td', { class: 'code' }, d.error ? `${d.error.name} · ${d.error.code}` : '—'),
              h('td', {}, i18n.num(d.attempts)),
              h('td', {}, i18n.num(d.replays)),
              h('td', {}, i18n.date(d.createdAt)),
              h(
                'td',
                { class: 'actions' },
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn',
                    'data-key': `inspect:${d.id}`,
                    'data-action': 'inspect',
                    'aria-label': `${t('inspect')}: ${d.id}`,
                    onclick: () => void inspect(ctx, d.id),
                  },
                  t('inspect'),
                ),
                mayReplay &&
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'btn btn-primary',
                      'data-key': `replay:${d.id}`,
                      'data-action': 'replay',
                      'aria-label': `${t('replay')}: ${d.id}`,
                      onclick: () => replay(d),
                    },
                    t('replay'),
                  ),
                mayPurge &&
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'btn btn-danger',
                      'data-key': `purge:${d.id}`,
                      'data-action': 'purge',
                      'aria-label': `${t('purge')}: ${d.id}`,
                      onclick: () => purge(d),
                    },
                    t('purge'),
                  ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  if (state.deadLettersCursor) {
    section.append(
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          onclick: async () => {
            const page = await ctx.api.deadLetters(state.deadLettersCursor ?? undefined);
            state.deadLetters = [...(state.deadLetters ?? []), ...page.items];
            state.deadLettersCursor = page.nextCursor;
            ctx.render();
          },
        },
        t('more'),
      ),
    );
  }
  return section;
}
