import { z } from 'zod';
import { PERSON_IDENTIFIER_TYPES } from './identifier-types.js';

/** The kinds of person identifier the canonical model knows, as a zod schema (see {@link PERSON_IDENTIFIER_TYPES}). */
export const PersonIdentifierType = z.enum(PERSON_IDENTIFIER_TYPES);
/** A kind of person identifier. */
export type PersonIdentifierType = z.infer<typeof PersonIdentifierType>;
