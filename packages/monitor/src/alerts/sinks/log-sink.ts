import type { Alert, AlertSink } from '../types.js';

/** Options of {@link logSink}. */
export interface LogSinkOptions {
  /**
   * Receives each alert: a line for humans and the alert itself (structured loggers such as pino
   * take the object). Default: `console.error(line)`.
   */
  log?: (line: string, alert: Alert) => void;
}

/** A sink that writes alerts to a logger function. Alerts hold no PHI, so they are safe to log. */
export function logSink(options: LogSinkOptions | LogSinkOptions['log'] = {}): AlertSink {
  const log = typeof options === 'function' ? options : (options.log ?? ((line: string) => console.error(line)));
  return {
    name: 'log',
    async send(alert) {
      log(`${new Date(alert.at).toISOString()} alert ${alert.status}: ${alert.summary}`, alert);
    },
  };
}
