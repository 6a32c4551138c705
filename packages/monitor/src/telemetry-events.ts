import type { TelemetryContext } from '@hmi/core';

/**
 * The events `@hmi/monitor` adds to core's telemetry bus (by declaration merging). Names, codes
 * and numbers only, like the alerts themselves.
 */
declare module '@hmi/core' {
  interface TelemetryEventMap {
    /** An alert started firing (or was reminded) and went to the sinks. */
    'alert:firing': TelemetryContext & { alertId: string; ruleId: string; key: string; severity: string; measured: number };
    /** A firing alert cleared and its resolve notification went to the sinks. */
    'alert:resolved': TelemetryContext & { alertId: string; ruleId: string; key: string; durationMs: number };
    /** A firing notification was held back by the throttle (it goes out later if the alert still fires). */
    'alert:throttled': TelemetryContext & { alertId: string; ruleId: string; key: string };
    /** A sink failed to deliver a notification. */
    'alert:sink-failed': TelemetryContext & { alertId: string; sink: string; errorCode: string };
  }
}

/** The names of the events `@hmi/monitor` emits. */
export const MONITOR_EVENTS = Object.freeze(['alert:firing', 'alert:resolved', 'alert:throttled', 'alert:sink-failed'] as const);
