import { ConfigError } from '@hmi/core';
import type { Alert, AlertSink } from '../types.js';

/**
 * What the email sink needs of a SendGrid connector instance (`createSendGridConnector(…)` from
 * `@hmi/connector-sendgrid`): its `sendEmail` action.
 */
export interface EmailSender {
  readonly actions: {
    /** Sends the alert email. */
    sendEmail(input: {
      to: { email: string; name?: string } | Array<{ email: string; name?: string }>;
      subject: string;
      text: string;
      purpose: 'transactional';
    }): Promise<unknown>;
  };
}

/** Options of {@link emailSink}. */
export interface EmailSinkOptions {
  /** A SendGrid connector instance. */
  sendgrid: EmailSender;
  /** The on-call addresses (staff, not patients). */
  to: string | readonly string[];
  /** Text before the subject. Default `[hmi]`. */
  subjectPrefix?: string;
  /** Which alerts to email; all by default (`(a) => a.severity === 'critical'` for pagers). */
  filter?: (alert: Alert) => boolean;
}

/**
 * A sink that emails alerts through the SendGrid connector's `sendEmail`, with purpose
 * `transactional` (operational mail to staff needs no marketing consent). SendGrid's mail/send is
 * never retried by the connector, so a failure is reported, not repeated.
 */
export function emailSink(options: EmailSinkOptions): AlertSink {
  const to = (typeof options.to === 'string' ? [options.to] : [...(options.to ?? [])]).map((email) => ({ email }));
  if (to.length === 0) throw new ConfigError('emailSink needs at least one address in to');
  if (typeof options.sendgrid?.actions?.sendEmail !== 'function') {
    throw new ConfigError('emailSink needs a SendGrid connector instance (with actions.sendEmail)');
  }
  const prefix = options.subjectPrefix ?? '[hmi]';
  return {
    name: 'email',
    async send(alert) {
      if (options.filter && !options.filter(alert)) return;
      const subject = `${prefix} ${alert.status === 'resolved' ? 'RESOLVED' : alert.severity.toUpperCase()}: ${alert.ruleId} ${alert.key}`;
      const lines = [
        alert.summary,
        '',
        `rule: ${alert.ruleId} (${alert.rule})`,
        `key: ${alert.key}`,
        `status: ${alert.status}`,
        `value: ${alert.value}`,
        `threshold: ${alert.threshold}`,
        ...(alert.errorCode ? [`last error code: ${alert.errorCode}`] : []),
        `started: ${new Date(alert.startedAt).toISOString()}`,
        ...(alert.resolvedAt !== undefined ? [`resolved: ${new Date(alert.resolvedAt).toISOString()}`] : []),
      ];
      await options.sendgrid.actions.sendEmail({ to, subject, text: lines.join('\n'), purpose: 'transactional' });
    },
  };
}
