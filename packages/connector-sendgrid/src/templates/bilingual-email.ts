import { type BilingualTemplate, pickLanguage, renderTemplate } from '@hmi/core';
import { z } from 'zod';

/** A bilingual text: Arabic and English required, other languages optional, `{{name}}` variables. */
export const BilingualText = z.object({ ar: z.string().min(1), en: z.string().min(1) }).catchall(z.string().min(1));

/** The bilingual parts of an email. At least one of `html` and `text`. */
export const BilingualEmailTemplate = z.object({
  subject: BilingualText,
  html: BilingualText.optional(),
  text: BilingualText.optional(),
});
/** The bilingual parts of an email. */
export type BilingualEmailTemplate = z.input<typeof BilingualEmailTemplate>;

/** An email rendered in one language. */
export interface RenderedEmail {
  language: string;
  dir: 'rtl' | 'ltr';
  subject: string;
  html?: string;
  text?: string;
}

const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'ku', 'yi', 'dv', 'sd', 'ug']);

/** Text direction of a primary language tag. */
export function directionOf(language: string): 'rtl' | 'ltr' {
  return RTL_LANGUAGES.has(language.toLowerCase().split('-')[0] ?? '') ? 'rtl' : 'ltr';
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Puts `lang` and `dir` on the document: on the existing `<html>` tag of a full document, else
 * around a fragment, so mail clients lay Arabic out right to left.
 */
export function withDirection(html: string, language: string, dir: 'rtl' | 'ltr'): string {
  const attrs = `lang="${escapeHtml(language)}" dir="${dir}"`;
  const htmlTag = /<html\b([^>]*)>/i;
  const match = htmlTag.exec(html);
  if (match) {
    const kept = (match[1] ?? '').replace(/\s(?:lang|dir)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '');
    return html.replace(htmlTag, `<html ${attrs}${kept}>`);
  }
  const align = dir === 'rtl' ? 'right' : 'left';
  return `<!DOCTYPE html><html ${attrs}><head><meta charset="utf-8"></head><body dir="${dir}" style="direction:${dir};text-align:${align}">${html}</body></html>`;
}

/**
 * Renders a bilingual email in `language`. Variables are HTML-escaped in the HTML part (a patient
 * name is data, not markup); in right-to-left text, Latin values are isolated (FSI…PDI) by the
 * core's `renderTemplate` so they cannot scramble the Arabic around them. A missing variable is a
 * ValidationError.
 */
export function renderBilingualEmail(
  template: BilingualEmailTemplate,
  language: string,
  vars: Record<string, string | number> = {},
): RenderedEmail {
  const dir = directionOf(language);
  const escaped = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, escapeHtml(String(v))]));
  const subject = renderTemplate(template.subject as BilingualTemplate, language, vars).replace(/[\r\n]+/g, ' ');
  const rendered: RenderedEmail = { language, dir, subject };
  if (template.html)
    rendered.html = withDirection(renderTemplate(template.html as BilingualTemplate, language, escaped), language, dir);
  if (template.text) rendered.text = renderTemplate(template.text as BilingualTemplate, language, vars);
  return rendered;
}

/** Picks the language of a bilingual email for a contact's preferred languages (core `pickLanguage`). */
export function pickEmailLanguage(
  template: BilingualEmailTemplate,
  languages: readonly string[] | undefined,
  fallback: 'ar' | 'en' = 'ar',
): string {
  return pickLanguage(template.subject as BilingualTemplate, languages, fallback);
}
