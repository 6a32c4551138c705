// The Measurement Protocol's documented limits, as /debug/mp/collect applies them:
// https://developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events#limitations
// https://developers.google.com/analytics/devguides/collection/protocol/ga4/reference#reserved_names
// https://developers.google.com/analytics/devguides/collection/protocol/ga4/validating-events

/** Validation codes of `/debug/mp/collect` responses. */
export type MpValidationCode =
  | 'VALUE_INVALID'
  | 'VALUE_REQUIRED'
  | 'NAME_INVALID'
  | 'NAME_RESERVED'
  | 'VALUE_OUT_OF_BOUNDS'
  | 'EXCEEDED_MAX_ENTITIES'
  | 'NAME_DUPLICATED';

/** One message, in the shape `/debug/mp/collect` returns (`validationMessages[]`). */
export interface MpValidationMessage {
  fieldPath: string;
  description: string;
  validationCode: MpValidationCode;
}

/** The limits (standard properties; 360 properties allow 500-character parameter values). */
export const MP_LIMITS = Object.freeze({
  events: 25,
  params: 25,
  userProperties: 25,
  itemCustomParams: 10,
  eventName: 40,
  paramName: 40,
  paramValue: 100,
  userPropertyName: 24,
  userPropertyValue: 36,
  bodyBytes: 130_000,
});

/** Event names only Google may send. */
export const MP_RESERVED_EVENT_NAMES: ReadonlySet<string> = new Set([
  ...['ad_activeview', 'ad_click', 'ad_exposure', 'ad_impression', 'ad_query', 'ad_reward', 'adunit_exposure'],
  ...[
    'app_background',
    'app_clear_data',
    'app_exception',
    'app_install',
    'app_remove',
    'app_store_refund',
    'app_update',
    'app_upgrade',
  ],
  ...['dynamic_link_app_open', 'dynamic_link_app_update', 'dynamic_link_first_open', 'error', 'firebase_campaign'],
  ...['firebase_in_app_message_action', 'firebase_in_app_message_dismiss', 'firebase_in_app_message_impression'],
  ...['first_open', 'first_visit', 'in_app_purchase', 'notification_dismiss', 'notification_foreground', 'notification_open'],
  ...['notification_receive', 'notification_send', 'os_update', 'screen_view', 'session_start', 'user_engagement'],
]);
/** Parameter names only Google may send. */
export const MP_RESERVED_PARAM_NAMES: ReadonlySet<string> = new Set(['firebase_conversion']);
/** User property names only Google may send. */
export const MP_RESERVED_USER_PROPERTY_NAMES: ReadonlySet<string> = new Set([
  'first_open_time',
  'first_visit_time',
  'last_deep_link_referrer',
  'user_id',
  'first_open_after_install',
]);
/** Prefixes reserved for event, parameter and user property names. */
export const MP_RESERVED_PREFIXES = ['google_', 'ga_', 'firebase_'] as const;

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Options of {@link validateMeasurementProtocolBody}. */
export interface MpValidationOptions {
  /** Maximum parameter value length: 100 (standard) or 500 (360). */
  maxParamValueLength?: number;
}

/**
 * Validates a Measurement Protocol body the way `/debug/mp/collect` does: `client_id` (or
 * `app_instance_id`) present, ≤ 25 events, event and parameter names (alphanumeric and `_`,
 * starting with a letter, ≤ 40 characters, not reserved, no reserved prefix), ≤ 25 parameters per
 * event, string values ≤ 100 characters, items ≤ 10 custom parameters, ≤ 25 user properties with
 * names ≤ 24 and values ≤ 36 characters, body ≤ 130 kB. Returns the messages; empty = valid.
 */
export function validateMeasurementProtocolBody(body: unknown, options: MpValidationOptions = {}): MpValidationMessage[] {
  const out: MpValidationMessage[] = [];
  const add = (fieldPath: string, validationCode: MpValidationCode, description: string) =>
    out.push({ fieldPath, validationCode, description });
  const maxValue = options.maxParamValueLength ?? MP_LIMITS.paramValue;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    add('', 'VALUE_INVALID', 'the body must be a JSON object');
    return out;
  }
  const b = body as Record<string, unknown>;
  if (Buffer.byteLength(JSON.stringify(b)) > MP_LIMITS.bodyBytes) add('', 'VALUE_OUT_OF_BOUNDS', 'the body exceeds 130 kB');
  const clientId = b.client_id ?? b.app_instance_id;
  if (typeof clientId !== 'string' || clientId.length === 0) add('client_id', 'VALUE_REQUIRED', 'client_id is required');
  if (b.user_id !== undefined && (typeof b.user_id !== 'string' || b.user_id.length > 256))
    add('user_id', 'VALUE_INVALID', 'user_id must be a string of at most 256 characters');
  const reservedPrefix = (name: string) => MP_RESERVED_PREFIXES.some((p) => name.startsWith(p));
  const checkName = (path: string, name: string, max: number, reserved: ReadonlySet<string>) => {
    if (name.length > max) add(path, 'VALUE_OUT_OF_BOUNDS', `names are at most ${max} characters`);
    else if (!NAME.test(name)) add(path, 'NAME_INVALID', 'names use letters, digits and _ and start with a letter');
    else if (reserved.has(name) || reservedPrefix(name)) add(path, 'NAME_RESERVED', 'the name is reserved');
  };
  const checkParams = (path: string, params: Record<string, unknown>, maxCount: number) => {
    const names = Object.keys(params);
    if (names.length > maxCount) add(path, 'EXCEEDED_MAX_ENTITIES', `at most ${maxCount} parameters`);
    for (const name of names) {
      const value = params[name];
      checkName(`${path}.${name}`, name, MP_LIMITS.paramName, MP_RESERVED_PARAM_NAMES);
      if (name === 'items') continue;
      if (typeof value === 'string' && value.length > maxValue)
        add(`${path}.${name}`, 'VALUE_OUT_OF_BOUNDS', `values are at most ${maxValue} characters`);
      else if (value !== null && typeof value === 'object')
        add(`${path}.${name}`, 'VALUE_INVALID', 'parameter values are strings, numbers or booleans');
    }
  };
  const events = b.events;
  if (!Array.isArray(events) || events.length === 0) add('events', 'VALUE_REQUIRED', 'at least one event is required');
  else {
    if (events.length > MP_LIMITS.events)
      add('events', 'EXCEEDED_MAX_ENTITIES', `at most ${MP_LIMITS.events} events per request`);
    for (const [i, event] of events.entries()) {
      const path = `events[${i}]`;
      if (typeof event !== 'object' || event === null) {
        add(path, 'VALUE_INVALID', 'an event is an object');
        continue;
      }
      const e = event as Record<string, unknown>;
      if (typeof e.name !== 'string' || e.name === '') add(`${path}.name`, 'VALUE_REQUIRED', 'the event name is required');
      else checkName(`${path}.name`, e.name, MP_LIMITS.eventName, MP_RESERVED_EVENT_NAMES);
      if (e.params === undefined) continue;
      if (typeof e.params !== 'object' || e.params === null || Array.isArray(e.params)) {
        add(`${path}.params`, 'VALUE_INVALID', 'params is an object');
        continue;
      }
      const params = e.params as Record<string, unknown>;
      checkParams(`${path}.params`, params, MP_LIMITS.params);
      if (params.items !== undefined) {
        if (!Array.isArray(params.items)) add(`${path}.params.items`, 'VALUE_INVALID', 'items is an array');
        else
          for (const [j, item] of params.items.entries()) {
            if (typeof item !== 'object' || item === null) {
              add(`${path}.params.items[${j}]`, 'VALUE_INVALID', 'an item is an object');
              continue;
            }
            const custom = Object.keys(item).filter(
              (k) =>
                !k.startsWith('item_') &&
                ![
                  'affiliation',
                  'coupon',
                  'discount',
                  'index',
                  'location_id',
                  'price',
                  'quantity',
                  'promotion_id',
                  'promotion_name',
                  'creative_name',
                  'creative_slot',
                ].includes(k),
            );
            if (custom.length > MP_LIMITS.itemCustomParams)
              add(
                `${path}.params.items[${j}]`,
                'EXCEEDED_MAX_ENTITIES',
                `at most ${MP_LIMITS.itemCustomParams} custom item parameters`,
              );
            checkParams(`${path}.params.items[${j}]`, item as Record<string, unknown>, Number.POSITIVE_INFINITY);
          }
      }
    }
  }
  if (b.user_properties !== undefined) {
    const props = b.user_properties;
    if (typeof props !== 'object' || props === null || Array.isArray(props))
      add('user_properties', 'VALUE_INVALID', 'user_properties is an object');
    else {
      const entries = Object.entries(props as Record<string, unknown>);
      if (entries.length > MP_LIMITS.userProperties)
        add('user_properties', 'EXCEEDED_MAX_ENTITIES', `at most ${MP_LIMITS.userProperties} user properties`);
      for (const [name, prop] of entries) {
        checkName(`user_properties.${name}`, name, MP_LIMITS.userPropertyName, MP_RESERVED_USER_PROPERTY_NAMES);
        const value = (prop as { value?: unknown } | null)?.value;
        if (typeof value === 'string' && value.length > MP_LIMITS.userPropertyValue)
          add(
            `user_properties.${name}.value`,
            'VALUE_OUT_OF_BOUNDS',
            `values are at most ${MP_LIMITS.userPropertyValue} characters`,
          );
      }
    }
  }
  return out;
}
