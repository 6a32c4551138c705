/**
 * Scopes: one per resource and action, plus `…:phi` scopes that widen what a read returns (minimum
 * necessary) and per-integration-point run scopes (`integrations:run:<pointId>`).
 */
export const SCOPES = {
  'leads:write': 'Create leads (website and app forms)',
  'contacts:read': 'Read contacts without patient data (ids, kind, languages, timestamps)',
  'contacts:read:phi': "Also read contacts' names, phones, emails, gender and birth date",
  'contacts:write': 'Replace contacts',
  'consents:write': 'Record opt-ins and opt-outs',
  'messages:send': 'Send messages through the configured channels (consent-gated)',
  'integrations:read': 'List integration points and their health',
  'integrations:run': 'Trigger a run of any integration point (or `integrations:run:<id>` for one)',
  'dead-letters:read': 'List dead letters (error and attempts, no payload)',
  'dead-letters:read:phi': "Also read dead letters' payloads",
  'dead-letters:replay': 'Replay dead letters',
  'dead-letters:purge': 'Delete dead letters',
  'audit:read': 'Read the audit trail',
  'events:read': 'Open the live event stream',
} as const;

/** A scope the gateway knows. Per-point run scopes (`integrations:run:<id>`) are strings too. */
export type GatewayScope = keyof typeof SCOPES;

/** Whether `granted` includes `required`; `integrations:run` covers every `integrations:run:<id>`. */
export function hasScope(granted: ReadonlySet<string>, required: string): boolean {
  if (granted.has(required)) return true;
  if (required.startsWith('integrations:run:')) return granted.has('integrations:run');
  return false;
}

/** Whether the scopes allow running one integration point. */
export function canRunPoint(granted: ReadonlySet<string>, pointId: string): boolean {
  return granted.has('integrations:run') || granted.has(`integrations:run:${pointId}`);
}

/** Parses a space-separated `scope` claim, dropping empty and oversized entries. */
export function parseScopeClaim(value: unknown): string[] {
  const list = typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : [];
  return list.filter((s): s is string => typeof s === 'string' && s.length > 0 && s.length <= 128).slice(0, 100);
}
