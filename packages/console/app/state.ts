import type { Api, AuditRecord, DeadLetter, Integration, Me } from './api.js';
import type { I18n } from './i18n.js';

/** Everything a screen needs: the signed-in user, the data loaded so far, and how to act. */
export interface Ctx {
  api: Api;
  me: Me;
  i18n: I18n;
  state: State;
  /** Re-renders the current screen (keeps focus on the element with the same data-key). */
  render(): void;
  /** Says something to screen readers (aria-live) and shows it in the status bar. */
  announce(text: string): void;
  /** Reloads points (and their audit history) or dead letters from the API. */
  reload(what: 'points' | 'dead-letters'): Promise<void>;
}

export interface State {
  integrations?: Integration[];
  /** The latest audit records per point, for throughput and the error-rate sparkline. */
  history: Map<string, AuditRecord[]>;
  deadLetters?: DeadLetter[];
  deadLettersCursor: string | null;
  live: boolean;
  /** The last failure to load a screen's data: status and the scope needed. */
  error?: { status: number; scope?: string };
  audit: {
    filter: Record<string, string>;
    /** The time fields as typed (local time), to show them again after a redraw. */
    local: Record<string, string>;
    items?: AuditRecord[];
    cursor: string | null;
    loading?: boolean;
  };
}

export const can = (me: Me, operation: string) => me.operations.includes(operation);

/** May the user start this point (`integrations:run` or `integrations:run:<id>`)? */
export const canRun = (me: Me, point: string) =>
  me.scopes.includes('integrations:run') || me.scopes.includes(`integrations:run:${point}`);
