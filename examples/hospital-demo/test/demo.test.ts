// Runs the whole demo against its loopback sandboxes and checks what each scene established, not
// just that it said PASS: a scene that silently stopped checking would still have to produce these
// facts.
import { describe, expect, it } from 'vitest';
import { type DemoSummary, runDemo, SCENES } from '../src/demo.js';
import { DEMO_SECRETS } from '../src/hospital.js';
import { formatSummaryTable } from '../src/output.js';
import { MOYASAR_DEMO_SECRETS } from '../src/scenes/mada-payment.js';
import { META_DEMO_SECRETS } from '../src/scenes/lead-ads.js';
import { DEMO_RETRY_SCHEDULE } from '../src/scenes/outage-and-replay.js';
import { WHATSAPP_DEMO_SECRETS } from '../src/scenes/whatsapp-reminder.js';

function facts(summary: DemoSummary, id: string) {
  const scene = summary.scenes.find((s) => s.id === id);
  expect(scene, `scene ${id}`).toBeDefined();
  expect(scene?.error).toBeUndefined();
  expect(scene?.ok).toBe(true);
  return scene!.facts;
}

describe('hospital demo', () => {
  let summary: DemoSummary;

  it('runs every scene and passes', { timeout: 60_000 }, async () => {
    summary = await runDemo({ quiet: true });
    expect(summary.scenes.map((s) => s.id)).toEqual(SCENES.map((s) => s.id));
    expect(summary.scenes.filter((s) => !s.ok).map((s) => `${s.id}: ${s.error}`)).toEqual([]);
    expect(summary.ok).toBe(true);
  });

  it('registers the patient with the Arabic name and the Saudi mobile intact', () => {
    const f = facts(summary, 'patient');
    expect(f.ack).toBe('AA');
    expect(f.createdFirst).toBe(true);
    expect(f.createdOnResend).toBe(false);
    expect(f.arabicName).toBe('نورة العتيبي');
    expect(f.englishName).toBe('Noura Al-Otaibi');
    expect(f.mobile).toBe('+966555123456');
    expect(f.language).toBe('ar');
    expect(f.syncedRecords).toBeGreaterThan(1);
    expect(f.rerunWritten).toBe(0);
  });

  it('sends the Arabic reminder by SMS and email and refuses marketing without consent, sending nothing', () => {
    const f = facts(summary, 'appointment');
    expect(f.ack).toBe('AA');
    expect(f.appointmentId).toBe('APT-7781');
    expect(f.smsLanguage).toBe('ar');
    expect(f.smsEncoding).toBe('UCS-2');
    expect(f.smsSegments).toBeGreaterThanOrEqual(2);
    expect(f.smsTo).toBe('+966555123456');
    expect(f.emailLanguage).toBe('ar');
    expect(f.emailRtl).toBe(true);
    expect(f.marketingSmsRefused).toBe(true);
    expect(f.marketingEmailRefused).toBe(true);
    expect(f.requestsDuringRefusal).toBe(0);
    expect(f.consentedMarketingSent).toBe(true);
  });

  it('sends the reminder on WhatsApp as an Arabic UTILITY template and falls back to SMS when WhatsApp says 131026', () => {
    const f = facts(summary, 'whatsapp');
    expect(f.marketingRefused).toBe(true);
    expect(f.requestsDuringRefusal).toBe(0);
    expect(f.templateCategory).toBe('utility');
    expect(f.templatePurpose).toBe('transactional');
    expect(f.templateLanguage).toBe('ar');
    expect(f.reminderTo).toBe('+966555123456');
    expect(f.forgedStatus).toBe(401);
    expect(f.statusMapped).toBe('undelivered');
    expect(f.statusErrorCode).toBe('131026');
    expect(f.sendErrorCode).toBe('undeliverable');
    expect(f.smsFallbacks).toBe(2);
    expect(f.smsFallbackTo).toBe('+966555123456');
    expect(f.optOut).toBe('consent.revoked:whatsapp');
  });

  it('sends the campaign page view to GA4 without the MRN or national id, and keeps the weekly report in the CRM', () => {
    const f = facts(summary, 'analytics');
    expect(f.identifiersReachingGa4).toBe(0);
    expect(f.ga4PageLocation).toBe('https://hospital.example/en/campaigns/ramadan-checkup/:id');
    expect(f.removed).toBeGreaterThanOrEqual(2);
    expect(f.reportRows).toBeGreaterThan(0);
    expect(f.crmReports).toBe(1);
  });

  it('turns the signed Stripe webhook into one Payment and refuses the forged one with 401', () => {
    const f = facts(summary, 'payment');
    expect(f.signedStatus).toBe(200);
    expect(f.paymentStatus).toBe('succeeded');
    expect(f.amountMinor).toBe(15050);
    expect(f.currency).toBe('SAR');
    expect(f.duplicateStatus).toBe(200);
    expect(f.duplicates).toBe(1);
    expect(f.processed).toBe(1);
    expect(f.forgedStatus).toBe(401);
  });

  it('takes a mada payment through Moyasar: one given_id through a 500, the webhook verified, the forgery refused', () => {
    const f = facts(summary, 'mada');
    expect(f.method).toBe('mada');
    expect(f.amountMinor).toBe(15050);
    expect(f.currency).toBe('SAR');
    expect(f.createPosts).toBe(2);
    expect(f.givenIds).toBe(1);
    expect(f.moyasarPayments).toBe(1);
    expect(f.webhookStatus).toBe(200);
    expect(f.forgedStatus).toBe(401);
    expect(f.diagnosisRefused).toBe(true);
    expect(f.crmPayments).toBeGreaterThanOrEqual(2);
  });

  it('retries through the outage, dead-letters, alerts, and delivers exactly once after the replay', () => {
    const f = facts(summary, 'outage');
    expect(f.attemptsBeforeDlq).toBe(DEMO_RETRY_SCHEDULE.length + 1);
    expect(f.dlqDepthAtAlert).toBe(1);
    expect(f.dlqAlertFired).toBe(true);
    expect(f.consecutiveFailuresAlertFired).toBe(true);
    expect(f.alertsResolved).toBe(true);
    expect(f.deliveredCopies).toBe(1);
    expect(f.secondReplayAccepted).toBe(false);
    expect(f.dlqDepthAfter).toBe(0);
    // Every repeat reconciled first; only the first attempt and the post-recovery one sent.
    expect(f.sendAttempts).toBeLessThan(Number(f.deliverCalls));
  });

  it('turns a signed Arabic Lead Ads lead into a Contact with its consents, and shows the campaign insights', () => {
    const f = facts(summary, 'leads');
    expect(f.handshakeStatus).toBe(200);
    expect(f.handshakeEcho).toBe('1158201444');
    expect(f.tamperedStatus).toBe(401);
    expect(f.webhookStatus).toBe(200);
    expect(f.leadReads).toBe(1);
    expect(f.contactKind).toBe('lead');
    expect(f.arabicName).toBe('سارة محمد القحطاني');
    expect(f.mobile).toBe('+966507654321');
    expect(f.consentWhatsapp).toBe(true);
    expect(f.consentSms).toBe(false);
    expect(f.campaignId).toBe('23850000000000001');
    // The fixture's three days: 150.25 + 160.25 + 170.25 SAR, 12 + 13 + 14 leads.
    expect(f.insightDays).toBe(3);
    expect(f.spend).toBe(480.75);
    expect(f.impressions).toBe(37_500);
    expect(f.clicks).toBe(1_041);
    expect(f.leads).toBe(39);
    expect(f.costPerLead).toBe(12.33);
    expect(f.currency).toBe('SAR');
    const row = summary.scenes.find((s) => s.id === 'leads')!;
    expect(row.figures.join(' ')).toContain('480.75 SAR, 37500 impr., 1041 clicks, 39 leads, 12.33 SAR/lead');
  });

  it('puts the campaign call from the patient’s mobile on her contact, attributed to the campaign, exactly once', () => {
    const f = facts(summary, 'call');
    expect(f.records).toBe(1);
    expect(f.contactId).toBe('MRN-300001'); // the contact scene 1 created
    expect(f.campaignId).toBe('ramadan-checkup-2026');
    expect(f.trackingNumber).toBe('+966920001234');
    expect(f.from).toBe('+966555123456'); // presented by the trunk as 0555123456
    expect(f.direction).toBe('inbound');
    expect(f.agent).toBe('1001');
    expect(f.ringSec).toBe(6);
    expect(f.durationSec).toBe(95);
    expect(f.hangupCause).toBe(16);
    expect(f.recordingConsent).toBe(true);
    expect(f.recorded).toBe(true);
  });

  it('prints progress and a summary without any sandbox credential', () => {
    const output = [...summary.lines, formatSummaryTable(summary.scenes.map((s) => ({ ...s, scene: s.label })))].join('\n');
    expect(summary.lines.length).toBeGreaterThan(20);
    for (const secret of [
      ...Object.values(DEMO_SECRETS),
      ...Object.values(MOYASAR_DEMO_SECRETS),
      ...Object.values(META_DEMO_SECRETS),
      'demo-ari-password-5c21',
      ...Object.values(WHATSAPP_DEMO_SECRETS),
    ])
      expect(output).not.toContain(secret);
    // Arabic values are isolated so a bidi terminal cannot reorder the line around them.
    expect(output).toContain('\u2068نورة العتيبي\u2069');
    expect(output).toContain('\u2066+966555123456\u2069');
  });
});
