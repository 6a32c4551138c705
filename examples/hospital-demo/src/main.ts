// `npm run demo`: a hospital's data flowing through hmi, offline. Every vendor is a local sandbox
// on 127.0.0.1 answering with the connector's own spec-checked fakes; nothing to configure.
// `npm run demo -- --serve`: the same, then the operators' console over the demo's state on
// http://127.0.0.1:8787/console/ (HMI_DEMO_PORT to change, 0 for a free port) until Ctrl-C.
import { runDemo } from './demo.js';
import { createReporter, formatSummaryTable } from './output.js';
import { DEFAULT_DEMO_PORT, demoPort, describeServedConsole, serveConsole } from './serve.js';

const serve = process.argv.slice(2).includes('--serve');
// Read before the scenes run: a bad HMI_DEMO_PORT fails at once, not after ten seconds.
const port = serve ? demoPort() : DEFAULT_DEMO_PORT;
console.log('hmi hospital demo — EHR (HL7 v2 + FHIR R4) → CRM → SMS / email → payments, on local sandboxes');
const summary = await runDemo({ keepAlive: serve });
console.log('');
console.log(
  formatSummaryTable(
    summary.scenes.map((s) => ({
      scene: s.label,
      ok: s.ok,
      figures: s.ok ? s.figures : [s.error ?? 'failed'],
      durationMs: s.durationMs,
    })),
  ),
);
const passed = summary.scenes.filter((s) => s.ok).length;
console.log(`${passed}/${summary.scenes.length} scenes passed in ${(summary.durationMs / 1000).toFixed(1)} s`);
process.exitCode = summary.ok ? 0 : 1;

if (!serve) {
  console.log("To look at it all in the operators' console: npm run demo -- --serve");
} else if (summary.hospital) {
  const hospital = summary.hospital;
  console.log('');
  console.log("Serve mode: the hospital stays up; the operators' console shows its state");
  try {
    const served = await serveConsole(hospital, { port, report: createReporter() });
    console.log('');
    for (const line of describeServedConsole(served)) console.log(line);
    let stoppingSince: number | undefined;
    const stop = async () => {
      if (stoppingSince !== undefined) {
        // One Ctrl-C can arrive twice (the terminal signals the process group, and a wrapper relays it
        // again, as the tsx CLI does); only a second press, a moment later, means "do not wait".
        if (Date.now() - stoppingSince > 1_000) process.exit(130);
        return;
      }
      stoppingSince = Date.now();
      console.log('\nstopping the console, the sandboxes and the store');
      try {
        await served.close();
      } finally {
        await hospital.close();
      }
    };
    const onSignal = () =>
      void stop().catch((error: unknown) => {
        console.error(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      });
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  } catch (error) {
    console.error(`--serve failed: ${error instanceof Error ? error.message : String(error)}`);
    await hospital.close();
    process.exitCode = 1;
  }
}
