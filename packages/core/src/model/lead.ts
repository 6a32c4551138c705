import { z } from 'zod';
import { IsoDateTime, SourceRef } from './common.js';
import { phi } from './registry.js';

/** One answer a person gave on a lead form; the answer is PHI once read (it may name a condition). */
export const LeadFieldAnswer = z.object({
  /** The form's field key, e.g. `full_name`, `phone_number`, `preferred_clinic`. */
  name: z.string(),
  /** The answers (multiple-choice fields may carry several). */
  values: z.array(phi(z.string())),
});
/** One answer on a lead form. */
export type LeadFieldAnswer = z.infer<typeof LeadFieldAnswer>;

/** A consent or disclaimer checkbox on a lead form and whether the person ticked it. */
export const LeadConsentAnswer = z.object({
  /** The checkbox's key as the form defines it. */
  key: z.string(),
  /** Whether the person agreed. */
  accepted: z.boolean(),
});
/** A consent answer on a lead form. */
export type LeadConsentAnswer = z.infer<typeof LeadConsentAnswer>;

/**
 * A sales or patient-interest lead from an ad platform's lead form (Meta Lead Ads and the like):
 * which form and campaign it came from, the answers (PHI), the consent checkboxes, and when.
 */
export const Lead = z.object({
  id: z.string(),
  source: SourceRef.optional(),
  /** The lead form's id on the platform. */
  formId: z.string().optional(),
  /** The page or account the form belongs to. */
  pageId: z.string().optional(),
  campaignId: z.string().optional(),
  adSetId: z.string().optional(),
  adId: z.string().optional(),
  /** Field answers, PHI. */
  answers: z.array(LeadFieldAnswer),
  /** Consent questions and their answers. */
  consents: z.array(LeadConsentAnswer),
  /** Whether the lead came from an organic (not paid) form view. */
  organic: z.boolean().optional(),
  createdAt: IsoDateTime.optional(),
});
/** A lead from an ad platform's lead form. */
export type Lead = z.infer<typeof Lead>;
