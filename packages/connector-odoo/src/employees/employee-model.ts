import type { Employee } from '@hmi/core';
import { tryNormalizePhone } from '@hmi/phone';
import { z } from 'zod';
import { odooDatetimeToIso } from '../shared/dates.js';
import { Many2one, m2oName, OptionalText, RecordId, text, WriteDate } from '../shared/wire.js';

/** The `hr.employee` fields the employees stream reads. */
export const EMPLOYEE_FIELDS = [
  'name',
  'job_title',
  'department_id',
  'work_email',
  'work_phone',
  'mobile_phone',
  'active',
] as const;

/** An `hr.employee` as `search_read` returns it. */
export const WireEmployee = z.object({
  id: RecordId,
  write_date: WriteDate,
  name: z.string(),
  job_title: OptionalText,
  department_id: Many2one.optional(),
  work_email: OptionalText,
  work_phone: OptionalText,
  mobile_phone: OptionalText,
  active: z.boolean().optional(),
});
/** An `hr.employee` on the wire. */
export type WireEmployee = z.infer<typeof WireEmployee>;

/** Maps an `hr.employee` (names and job titles in the configured language). */
export function toEmployee(wire: WireEmployee, defaultRegion: string): z.input<typeof Employee> {
  const phone = tryNormalizePhone(text(wire.work_phone) ?? text(wire.mobile_phone), { defaultRegion });
  const department = m2oName(wire.department_id);
  return {
    id: String(wire.id),
    source: { system: 'odoo', id: String(wire.id) },
    name: wire.name,
    ...(text(wire.job_title) !== undefined && { jobTitle: text(wire.job_title) }),
    ...(department !== undefined && { department }),
    ...(text(wire.work_email) !== undefined && { workEmail: text(wire.work_email) }),
    ...(phone !== undefined && { workPhone: phone }),
    active: wire.active ?? true,
    updatedAt: odooDatetimeToIso(wire.write_date),
  };
}
