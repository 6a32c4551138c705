// `npm run demo`: a hospital's data flowing through hmi, offline. Every vendor is a local sandbox
// on 127.0.0.1 answering with the connector's own spec-checked fakes; nothing to configure.
import { runDemo } from './demo.js';
import { formatSummaryTable } from './output.js';

console.log('hmi hospital demo — EHR (HL7 v2 + FHIR R4) → CRM → SMS / email → payments, on local sandboxes');
const summary = await runDemo();
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
