// The demo as a function: starts the hospital (sandboxes, connectors, state store, CRM), runs
// each scene in order, tears everything down and returns the summary. `main.ts` prints it; the
// test asserts it.
import { isHmiError } from '@hmi/core';
import { type Hospital, startHospital } from './hospital.js';
import { createReporter, type Reporter } from './output.js';
import { appointmentScene } from './scenes/appointment-reminder.js';
import { madaPaymentScene } from './scenes/mada-payment.js';
import { erpScene } from './scenes/erp-invoice.js';
import { campaignAnalyticsScene } from './scenes/campaign-analytics.js';
import { leadAdsScene } from './scenes/lead-ads.js';
import { outageScene } from './scenes/outage-and-replay.js';
import { paymentScene } from './scenes/payment-webhook.js';
import { registerPatientScene } from './scenes/register-patient.js';
import type { Scene, SceneFacts } from './scenes/scene.js';
import { websiteLeadScene } from './scenes/website-lead-gateway.js';
import { inboundCallScene } from './scenes/inbound-call.js';
import { whatsAppReminderScene } from './scenes/whatsapp-reminder.js';

/** The scenes, in the order they run (later ones use the contact the first one creates). */
export const SCENES: readonly Scene[] = [
  registerPatientScene,
  appointmentScene,
  whatsAppReminderScene,
  paymentScene,
  madaPaymentScene,
  outageScene,
  erpScene,
  campaignAnalyticsScene,
  leadAdsScene,
  websiteLeadScene,
  inboundCallScene,
];

/** How one scene went. */
export interface SceneSummary {
  id: Scene['id'];
  title: string;
  label: string;
  ok: boolean;
  figures: string[];
  facts: SceneFacts;
  /** Why it failed (an error name and message; never patient data from the connectors). */
  error?: string;
  durationMs: number;
}

/** How the demo went. */
export interface DemoSummary {
  ok: boolean;
  scenes: SceneSummary[];
  durationMs: number;
  /** Every progress line, also when quiet. */
  lines: readonly string[];
  /** The hospital, still running: only with `keepAlive`, and then the caller closes it. */
  hospital?: Hospital;
}

/** Options of {@link runDemo}. */
export interface RunDemoOptions {
  /** Print nothing (the summary still holds every line). */
  quiet?: boolean;
  reporter?: Reporter;
  /**
   * Leave the hospital (sandboxes, SQLite store, CRM) running after the scenes and return it in the
   * summary, for `--serve`; the caller must `close()` it.
   */
  keepAlive?: boolean;
}

function describe(error: unknown): string {
  if (isHmiError(error)) return `${error.name} (${error.code}): ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Runs every scene against fresh loopback sandboxes and returns the summary. */
export async function runDemo(options: RunDemoOptions = {}): Promise<DemoSummary> {
  const report = options.reporter ?? createReporter({ quiet: options.quiet });
  const started = performance.now();
  const hospital = await startHospital();
  const scenes: SceneSummary[] = [];
  try {
    report.note(
      `sandboxes on loopback: EHR ${hospital.sandboxes.ehr.url}, Twilio ${hospital.sandboxes.twilio.url}, SendGrid ${hospital.sandboxes.sendgrid.url}, Stripe ${hospital.sandboxes.stripe.url}; CRM MLLP 127.0.0.1:${hospital.crm.mllp.port}`,
    );
    for (const [index, scene] of SCENES.entries()) {
      report.scene(index + 1, SCENES.length, scene.title);
      const sceneStarted = performance.now();
      try {
        const outcome = await scene.run(hospital, report);
        scenes.push({
          id: scene.id,
          title: scene.title,
          label: scene.label,
          ok: true,
          ...outcome,
          durationMs: performance.now() - sceneStarted,
        });
      } catch (error) {
        report.bad(`scene failed: ${describe(error)}`);
        scenes.push({
          id: scene.id,
          title: scene.title,
          label: scene.label,
          ok: false,
          figures: [],
          facts: {},
          error: describe(error),
          durationMs: performance.now() - sceneStarted,
        });
      }
    }
    for (const sandbox of Object.values(hospital.sandboxes)) {
      if (sandbox.unrouted.length > 0)
        report.bad(`${sandbox.name} sandbox got unrouted requests: ${sandbox.unrouted.join(', ')}`);
    }
  } catch (error) {
    if (options.keepAlive) await hospital.close();
    throw error;
  } finally {
    if (!options.keepAlive) await hospital.close();
  }
  return {
    ok: scenes.every((s) => s.ok),
    scenes,
    durationMs: performance.now() - started,
    lines: report.lines,
    ...(options.keepAlive && { hospital }),
  };
}
