import type { Contact } from './contact.js';

/** True when the contact is known to have died (`deceased`, or a `deceasedAt` date). */
export function isDeceased(contact: Pick<Contact, 'deceased' | 'deceasedAt'> | undefined): boolean {
  return contact?.deceased === true || (contact?.deceasedAt !== undefined && contact.deceased !== false);
}
