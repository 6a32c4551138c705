import { ValidationError } from '../errors/errors.js';

/** A message in Arabic and English (and optionally more languages), with `{{name}}` variables. */
export type BilingualTemplate = { ar: string; en: string } & Record<string, string>;

const FSI = '\u2068';
const PDI = '\u2069';
const RTL_CHAR = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
const STRONG_LTR = /[A-Za-z0-9+@]/;

/** Picks the template language for a contact's preferred languages: the first one the template has, else `fallback`. */
export function pickLanguage(
  template: BilingualTemplate,
  languages: readonly string[] | undefined,
  fallback: 'ar' | 'en' = 'ar',
): string {
  for (const tag of languages ?? []) {
    const primary = tag.toLowerCase().split('-')[0] ?? '';
    if (template[primary] !== undefined) return primary;
  }
  return fallback;
}

/**
 * Renders a template in `language`, replacing `{{name}}` with `vars.name`. In right-to-left text a
 * left-to-right value (a number, a Latin name, a URL) is wrapped in Unicode isolates (FSI…PDI) so
 * it cannot reorder the Arabic around it. A missing variable is a ValidationError, never an empty hole.
 */
export function renderTemplate(template: BilingualTemplate, language: string, vars: Record<string, string | number>): string {
  const text = template[language];
  if (text === undefined)
    throw new ValidationError(`template has no ${language} text`, {
      issues: [{ path: [language], code: 'missing', message: 'no text for language' }],
    });
  const rtl = RTL_CHAR.test(text);
  return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      throw new ValidationError(`template variable ${name} is missing`, {
        issues: [{ path: [name], code: 'missing', message: 'variable missing' }],
      });
    }
    const str = String(value);
    return rtl && STRONG_LTR.test(str) && !RTL_CHAR.test(str) ? `${FSI}${str}${PDI}` : str;
  });
}
