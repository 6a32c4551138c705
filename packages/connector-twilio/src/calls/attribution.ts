import { type CallRecord, type TelemetryContext, attributeCall } from '@hmi/core';
import { tryNormalizePhone } from '@hmi/phone';
import type { TwilioContext } from '../twilio-context.js';

declare module '@hmi/core' {
  interface TelemetryEventMap {
    /** The host's `voice.lookupContact` threw; the call is delivered unmatched (the error is not reported: it may quote the number). */
    'twilio:lookup-error': TelemetryContext;
  }
}

/**
 * Attributes a Twilio CallRecord through the core's `attributeCall` (the same rules as Asterisk):
 * E.164 numbers, the campaign of the dialled tracking number, the host's contact lookup.
 */
export function attributeTwilioCall(record: CallRecord, ctx: TwilioContext): Promise<CallRecord> {
  const { voice } = ctx;
  return attributeCall(record, {
    normalize: (raw) => tryNormalizePhone(raw, { defaultRegion: ctx.defaultRegion }),
    trackingNumbers: voice.trackingNumbers,
    ...(voice.lookupContact && { lookupContact: voice.lookupContact }),
    onLookupError: () => ctx.telemetry.emit('twilio:lookup-error', { connector: ctx.connector, operation: 'lookupContact' }),
  });
}
