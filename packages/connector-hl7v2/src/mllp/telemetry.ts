import type { TelemetryContext } from '@hmi/core';

declare module '@hmi/core' {
  interface TelemetryEventMap {
    /**
     * An HL7 message went over MLLP. Carries codes only (type, trigger, ACK code), never the
     * message or its control ID.
     */
    'hl7:message': TelemetryContext & {
      direction: 'in' | 'out';
      messageType?: string;
      triggerEvent?: string;
      ackCode?: string;
      bytes: number;
      durationMs: number;
    };
  }
}
