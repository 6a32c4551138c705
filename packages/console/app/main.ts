// The console's entry: sign-in (the host's session, else an API key), the header with language,
// digits and the live indicator, hash routing between the screens, and live updates from
// /v1/events. Screens are rebuilt from `state` on every change; focus is kept by data-key.
import { ApiError, type Api, createApi, type LiveEvent, type Me, storedKey, storeKey } from './api.js';
import { auditView } from './audit.js';
import { deadLettersView } from './dead-letters.js';
import { h } from './dom.js';
import { createI18n, type Digits, type I18n, type Lang } from './i18n.js';
import { pointsView, pointView } from './points.js';
import { type Ctx, can, type State } from './state.js';

const prefs = {
  lang: (localStorage.getItem('hmi-console-lang') === 'ar' ? 'ar' : 'en') as Lang,
  digits: (localStorage.getItem('hmi-console-digits') === 'arab' ? 'arab' : 'latn') as Digits,
};
let i18n: I18n = createI18n(prefs.lang, prefs.digits);
const root = document.getElementById('root')!;
const liveRegion = document.getElementById('live')!;

function applyLanguage(): void {
  i18n = createI18n(prefs.lang, prefs.digits);
  document.documentElement.lang = prefs.lang;
  document.documentElement.dir = prefs.lang === 'ar' ? 'rtl' : 'ltr';
  document.title = i18n.t('title');
  const skip = document.querySelector('.skip');
  if (skip) skip.textContent = i18n.t('skip');
}

function announce(text: string): void {
  // A fresh node per message, so screen readers read each one; the last few stay visible.
  liveRegion.append(h('p', {}, text));
  while (liveRegion.childElementCount > 5) liveRegion.firstElementChild?.remove();
  const bar = document.getElementById('statusbar');
  if (bar) bar.textContent = text;
}

function signInView(error?: string): void {
  const t = i18n.t;
  const input = h('input', {
    id: 'api-key',
    name: 'key',
    type: 'password',
    autocomplete: 'off',
    required: true,
    dir: 'ltr',
    'aria-describedby': 'api-key-help',
  });
  root.replaceChildren(
    h(
      'main',
      { id: 'main', class: 'signin' },
      h('h1', {}, t('title')),
      languageControls(() => signInView(error)),
      h(
        'form',
        {
          'aria-label': t('signIn'),
          onsubmit: (event: Event) => {
            event.preventDefault();
            const key = input.value.trim();
            if (key) void start(createApi(key), true);
          },
        },
        h('label', { for: 'api-key' }, t('apiKey')),
        input,
        h('p', { id: 'api-key-help', class: 'muted small' }, t('apiKeyHelp')),
        error ? h('p', { role: 'alert', class: 'error' }, error) : null,
        h('button', { type: 'submit', class: 'btn btn-primary' }, t('signIn')),
      ),
    ),
  );
  input.focus();
}

function languageControls(rerender: () => void): HTMLElement {
  const t = i18n.t;
  const select = h(
    'select',
    {
      id: 'lang',
      'data-key': 'lang',
      onchange: (event: Event) => {
        prefs.lang = (event.target as HTMLSelectElement).value === 'ar' ? 'ar' : 'en';
        localStorage.setItem('hmi-console-lang', prefs.lang);
        applyLanguage();
        rerender();
      },
    },
    h('option', { value: 'en', lang: 'en', selected: prefs.lang === 'en' }, 'English'),
    h('option', { value: 'ar', lang: 'ar', selected: prefs.lang === 'ar' }, 'العربية'),
  );
  const digits = h('input', {
    id: 'digits',
    type: 'checkbox',
    'data-key': 'digits',
    checked: prefs.digits === 'arab',
    onchange: (event: Event) => {
      prefs.digits = (event.target as HTMLInputElement).checked ? 'arab' : 'latn';
      localStorage.setItem('hmi-console-digits', prefs.digits);
      applyLanguage();
      rerender();
    },
  });
  return h(
    'div',
    { class: 'prefs', role: 'group', 'aria-label': t('settings') },
    h('label', { for: 'lang' }, t('language')),
    select,
    // Only Arabic has the digit choice; English always shows Latin digits.
    prefs.lang === 'ar' ? h('span', { class: 'check' }, digits, h('label', { for: 'digits' }, t('digits'))) : null,
  );
}

type Route =
  | { screen: 'points' }
  | { screen: 'point'; id: string }
  | { screen: 'dead-letters' }
  | { screen: 'alerts' }
  | { screen: 'audit' };

function route(): Route {
  const hash = location.hash.replace(/^#\/?/, '');
  const [screen, id] = hash.split('/');
  if (screen === 'points' && id) return { screen: 'point', id: decodeURIComponent(id) };
  if (screen === 'dead-letters' || screen === 'alerts' || screen === 'audit') return { screen };
  return { screen: 'points' };
}

async function start(api: Api, typedKey: boolean): Promise<void> {
  let me: Me;
  try {
    me = await api.me();
  } catch {
    if (typedKey) signInView(i18n.t('signInFailed'));
    else if (api.key) {
      storeKey(undefined);
      signInView();
    } else signInView();
    return;
  }
  if (api.key) storeKey(api.key);
  const state: State = {
    history: new Map(),
    deadLettersCursor: null,
    live: false,
    audit: { filter: {}, local: {}, cursor: null },
  };
  const controller = new AbortController();

  const ctx: Ctx = {
    api,
    me,
    get i18n() {
      return i18n;
    },
    state,
    render,
    announce,
    reload,
  };

  async function reload(what: 'points' | 'dead-letters'): Promise<void> {
    try {
      if (what === 'points' && can(me, 'listIntegrations')) {
        state.integrations = await api.integrations();
        if (can(me, 'listAudit')) {
          const pages = await Promise.all(
            state.integrations.map((p) => api.audit({ integrationPoint: p.id }).catch(() => undefined)),
          );
          state.integrations.forEach((p, i) => {
            const page = pages[i];
            if (page) state.history.set(p.id, page.items);
          });
        }
      } else if (what === 'dead-letters' && can(me, 'listDeadLetters')) {
        const page = await api.deadLetters();
        state.deadLetters = page.items;
        state.deadLettersCursor = page.nextCursor;
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        signOut();
        return;
      }
      announce(i18n.t('failed', { status: error instanceof ApiError ? error.status : 0 }));
    }
    render();
  }

  // Several events in a burst cause one reload.
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const soon = (what: 'points' | 'dead-letters') => {
    if (pending.has(what)) return;
    pending.set(
      what,
      setTimeout(() => {
        pending.delete(what);
        void reload(what);
      }, 250),
    );
  };

  function onEvent({ event, data }: LiveEvent): void {
    const point = String(data.integrationPoint ?? '');
    const p = state.integrations?.find((x) => x.id === point);
    if (event === 'integration.running') {
      if (p) p.status = 'running';
      announce(i18n.t('pointRunning', { point }));
      render();
    } else if (event === 'integration.status') {
      const failing = data.status === 'failing';
      if (p) {
        p.status = failing ? 'failing' : 'ok';
        p.lastErrorCode = typeof data.errorCode === 'string' ? data.errorCode : null;
      }
      announce(i18n.t(failing ? 'pointFailing' : 'pointOk', { point }));
      render();
      soon('points');
    } else if (event === 'dead-letter.added') {
      announce(i18n.t('dlqAdded', { id: String(data.id ?? ''), point }));
      soon('dead-letters');
      soon('points');
    } else if (event === 'dead-letter.replayed') {
      state.deadLetters = state.deadLetters?.filter((d) => d.id !== data.id);
      render();
      soon('points');
    }
  }

  function signOut(): void {
    controller.abort();
    storeKey(undefined);
    window.removeEventListener('hashchange', onHash);
    signInView();
  }

  function nav(): HTMLElement {
    const current = route().screen;
    const link = (screen: string, label: string, allowed: boolean) =>
      allowed
        ? h(
            'li',
            {},
            h(
              'a',
              {
                href: `#/${screen}`,
                'data-key': `nav:${screen}`,
                'aria-current': current === screen || (screen === 'points' && current === 'point') ? 'page' : undefined,
              },
              label,
            ),
          )
        : null;
    return h(
      'nav',
      { 'aria-label': i18n.t('nav') },
      h(
        'ul',
        {},
        link('points', i18n.t('points'), can(me, 'listIntegrations')),
        link('dead-letters', i18n.t('deadLetters'), can(me, 'listDeadLetters')),
        link('alerts', i18n.t('alerts'), true),
        link('audit', i18n.t('audit'), can(me, 'listAudit')),
      ),
    );
  }

  function screen(): HTMLElement {
    const r = route();
    const forbidden = (scope: string) => h('section', {}, h('p', { role: 'alert' }, i18n.t('forbidden', { scope })));
    switch (r.screen) {
      case 'points':
        return can(me, 'listIntegrations') ? pointsView(ctx) : forbidden('integrations:read');
      case 'point':
        return can(me, 'listIntegrations') ? pointView(ctx, r.id) : forbidden('integrations:read');
      case 'dead-letters':
        if (!can(me, 'listDeadLetters')) return forbidden('dead-letters:read');
        return deadLettersView(ctx);
      case 'audit':
        return can(me, 'listAudit') ? auditView(ctx) : forbidden('audit:read');
      case 'alerts':
        return h(
          'section',
          { 'aria-labelledby': 'alerts-title' },
          h('h1', { id: 'alerts-title' }, i18n.t('alerts')),
          h('p', { 'data-testid': 'no-alerts' }, i18n.t('noAlerts')),
        );
    }
  }

  function render(): void {
    const focusedKey = (document.activeElement as HTMLElement | null)?.dataset?.key;
    const t = i18n.t;
    root.replaceChildren(
      h(
        'header',
        { class: 'top' },
        h('a', { class: 'brand', href: '#/points' }, t('title')),
        nav(),
        h(
          'div',
          { class: 'who' },
          h(
            'span',
            { class: `live ${state.live ? 'live-on' : 'live-off'}`, 'data-testid': 'live' },
            state.live ? t('live') : t('offline'),
          ),
          languageControls(render),
          h(
            'span',
            { class: 'small' },
            `${t('signedInAs')} `,
            h('strong', {}, me.client.name),
            me.facility ? ` (${me.facility})` : '',
          ),
          api.key ? h('button', { type: 'button', class: 'btn', onclick: signOut }, t('signOut')) : null,
        ),
      ),
      h('main', { id: 'main', tabindex: -1 }, screen()),
      h('footer', { class: 'statusbar', id: 'statusbar', 'aria-hidden': 'true' }),
    );
    if (focusedKey) document.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus();
  }

  function onHash(): void {
    render();
    document.getElementById('main')?.focus();
  }
  window.addEventListener('hashchange', onHash);
  render();
  await Promise.all([reload('points'), reload('dead-letters')]);
  if (can(me, 'streamEvents')) {
    api.events(
      onEvent,
      (live) => {
        if (state.live !== live) {
          state.live = live;
          render();
          if (live) {
            // Events are not replayed after a reconnect: read the current state again.
            void reload('points');
            void reload('dead-letters');
          }
        }
      },
      controller.signal,
    );
  }
}

applyLanguage();
const key = storedKey();
// With a stored key, use it; otherwise try the host's session first (a cookie the gateway's
// auth.authenticate accepts), and fall back to the API-key form.
void start(createApi(key), false);
