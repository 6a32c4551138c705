import type { CallHangupCause } from '@hmi/core';

// Asterisk's names (causes.h) for the ITU-T Q.850 causes a call centre meets; any other code keeps
// the text Asterisk sent, normalised to the same UPPER_SNAKE form.
const NAMES: Record<number, string> = {
  0: 'NOT_DEFINED',
  1: 'UNALLOCATED',
  3: 'NO_ROUTE_DESTINATION',
  16: 'NORMAL_CLEARING',
  17: 'USER_BUSY',
  18: 'NO_USER_RESPONSE',
  19: 'NO_ANSWER',
  20: 'SUBSCRIBER_ABSENT',
  21: 'CALL_REJECTED',
  22: 'NUMBER_CHANGED',
  27: 'DESTINATION_OUT_OF_ORDER',
  28: 'INVALID_NUMBER_FORMAT',
  31: 'NORMAL_UNSPECIFIED',
  34: 'NORMAL_CIRCUIT_CONGESTION',
  38: 'NETWORK_OUT_OF_ORDER',
  41: 'NORMAL_TEMPORARY_FAILURE',
  42: 'SWITCH_CONGESTION',
  58: 'BEARERCAPABILITY_NOTAVAIL',
  102: 'RECOVERY_ON_TIMER_EXPIRE',
  127: 'INTERWORKING',
};

/** The Q.850 cause for an ARI `cause` / `cause_txt` pair. */
export function q850(code: number, text?: string): CallHangupCause {
  const clamped = Number.isInteger(code) && code >= 0 && code <= 127 ? code : 0;
  const fallback = text
    ?.trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .slice(0, 64);
  return { code: clamped, name: NAMES[clamped] ?? (fallback || 'UNKNOWN') };
}
