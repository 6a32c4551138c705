import { phi, ValidationError } from '@hmi/core';
import { z } from 'zod';

/**
 * What the host knows about the patient a post or reply is about (the record being answered).
 * Patient data: marked PHI so it never reaches logs, telemetry or errors.
 */
export const KnownPatient = z.object({
  /** Names in any script (Arabic, Latin). Each whole name and each name part of 3+ letters is refused. */
  names: z
    .array(phi(z.string().max(200)))
    .max(20)
    .default([]),
  /** Phone numbers in any format (+966 5…, 05…, Arabic-Indic digits). */
  phones: z
    .array(phi(z.string().max(40)))
    .max(20)
    .default([]),
  /** Medical record numbers. */
  mrns: z
    .array(phi(z.string().max(64)))
    .max(20)
    .default([]),
});
/** What is known about the patient a text is about. */
export type KnownPatient = z.infer<typeof KnownPatient>;

// Name particles that are not identifying on their own ("bin", "Abu", "Al-").
const PARTICLES = new Set(['bin', 'ibn', 'bint', 'abu', 'abd', 'al', 'el', 'بن', 'بنت', 'ابن', 'ابو', 'عبد', 'ال']);

/** Folds Arabic spelling variants, diacritics and case so "أحمد" matches "احمد" and "AHMED" matches "ahmed". */
export function foldText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u064B-\u065F\u0670\u0640]/g, '') // harakat, superscript alef, tatweel
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .replace(/ؤ/g, 'و')
    .replace(/ئ/g, 'ي')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** ASCII digits of a text: Arabic-Indic and Persian digits converted, everything else dropped. */
export function digitsOf(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\D+/g, '');
}

/**
 * Arabic fuses some prepositions and conjunctions to the next word (`لفاطمة`, `وفاطمة`,
 * `بالزهراني`, `للزهراني`): a name part is also found behind one of them.
 */
const PROCLITICS = ['', 'و', 'ف', 'ب', 'ل', 'ك', 'وب', 'ول', 'فب', 'فل', 'وك'];

/** The forms a folded word may be of a name: itself, without a fused proclitic, without `ال`. */
function stems(word: string): string[] {
  const out: string[] = [];
  for (const p of PROCLITICS) {
    if (!word.startsWith(p) || word.length - p.length < 2) continue;
    const rest = word.slice(p.length);
    out.push(rest);
    if (rest.startsWith('ال') && rest.length > 3) out.push(rest.slice(2));
  }
  // li + al contract to `لل`: للزهراني is "for al-Zahrani".
  if (word.startsWith('لل') && word.length > 4) out.push(word.slice(2));
  return out;
}

/** Which kind of patient identifier a text contains, or undefined when it contains none. Linear in the text. */
export function findPatientIdentifier(text: string, patient: KnownPatient): 'name' | 'phone' | 'mrn' | undefined {
  const foldedText = foldText(text);
  const folded = ` ${foldedText} `;
  const words = new Set(foldedText.split(' ').flatMap(stems));
  for (const name of patient.names) {
    const whole = foldText(name);
    if (whole && folded.includes(` ${whole} `)) return 'name';
    for (const part of whole.split(' ')) {
      if ([...part].length < 3 || PARTICLES.has(part)) continue;
      const bare = part.startsWith('ال') && part.length > 4 ? part.slice(2) : part;
      if (words.has(part) || words.has(bare)) return 'name';
    }
  }
  const digits = digitsOf(text);
  for (const phone of patient.phones) {
    // The last 8 digits identify a number whatever prefix (+966, 00966, 0) the text used.
    const tail = digitsOf(phone).slice(-8);
    if (tail.length >= 7 && digits.includes(tail)) return 'phone';
  }
  const compact = foldedText.replace(/ /g, '');
  for (const mrn of patient.mrns) {
    const id = foldText(mrn).replace(/ /g, '');
    if (id.length >= 3 && compact.includes(id)) return 'mrn';
    // The number alone, as people quote it: `00912` for `MRN-00912`.
    const number = digitsOf(mrn);
    if (number.length >= 4 && digits.includes(number)) return 'mrn';
  }
  return undefined;
}

/**
 * Refuses, before any request, a public text (post, reply) that names the patient it is about:
 * social platforms are outside any business-associate agreement. The error names the kind of
 * identifier found, never the text or the identifier.
 */
export function assertNoPatientData(text: string | undefined, patient: KnownPatient | undefined, field = 'text'): void {
  if (!text || !patient) return;
  const found = findPatientIdentifier(text, patient);
  if (found) {
    throw new ValidationError(`the ${field} contains the patient's ${found}: not sent to Meta`, {
      code: 'phi_refused',
      connector: 'meta',
      issues: [{ path: [field], code: 'phi_refused', message: `contains the patient's ${found}` }],
    });
  }
}
