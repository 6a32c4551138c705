import { ConfigError } from '@hmi/core';

/** The spellings of a connector's name that the scaffold writes into files and identifiers. */
export interface ConnectorNames {
  /** `acme-crm`: file names, the package name and URLs. */
  kebab: string;
  /** `AcmeCrm`: types and `createAcmeCrmConnector`. */
  pascal: string;
  /** `acmeCrm`: values such as `acmeCrmConnector`. */
  camel: string;
  /** `ACME_CRM`: constants. */
  upper: string;
}

/**
 * Derives every spelling from what a user typed (`acme-crm`, `Acme CRM`, `acme_crm`). Refuses,
 * with a typed error that says what is allowed, a name that would not make a package name and a
 * TypeScript identifier.
 */
export function connectorNames(input: string): ConnectorNames {
  const words = input
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_\-.]+/)
    .filter(Boolean);
  const kebab = words.join('-');
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(kebab) || kebab.length > 40) {
    throw new ConfigError(
      'a connector name is 1–40 characters of ASCII letters, digits and dashes, starting with a letter (e.g. acme-crm)',
      { issues: [{ path: ['name'], code: 'invalid_name', message: 'use letters, digits and dashes, starting with a letter' }] },
    );
  }
  const pascal = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return { kebab, pascal, camel: pascal[0]!.toLowerCase() + pascal.slice(1), upper: words.join('_').toUpperCase() };
}

/**
 * Renames the template (the Clinic Survey connector of `examples/custom-connector`) to the
 * connector's names. The vendor's name in the template is "Clinic Survey", and its API's things
 * are called "survey…": both become the new name inside identifiers and file names, while the
 * word "survey" in prose is left alone (it describes what the template's fake API does until the
 * user replaces it with their vendor's).
 */
export function renameTemplateText(text: string, names: ConnectorNames): string {
  return text
    .replaceAll('clinic-survey', names.kebab)
    .replaceAll('ClinicSurvey', names.pascal)
    .replaceAll('clinicSurvey', names.camel)
    .replaceAll('CLINIC_SURVEY', names.upper)
    .replace(/SURVEY(?=_)/g, names.upper)
    .replace(/(?<=[A-Za-z0-9_])Survey|Survey(?=[A-Za-z0-9_])/g, names.pascal)
    .replace(/\bsurvey(?=[A-Z])/g, names.camel)
    .replace(/\bsurvey(?=-(config|context|error|connector|model)\b)/g, names.kebab);
}

/** The template's file path, renamed (`src/survey-config.ts` → `src/acme-crm-config.ts`). */
export function renameTemplatePath(path: string, names: ConnectorNames): string {
  return path.replace(/(^|\/)survey-/g, `$1${names.kebab}-`).replace(/clinic-survey/g, names.kebab);
}
