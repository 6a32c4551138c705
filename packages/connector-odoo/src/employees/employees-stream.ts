import { stream } from '@hmi/core';
import { Employee } from '@hmi/core/schemas';
import { z } from 'zod';
import { RecordId } from '../shared/wire.js';
import { forCall, type OdooContext } from '../odoo-context.js';
import { OdooCheckpoint, readIncremental } from '../sync/incremental.js';
import { EMPLOYEE_FIELDS, toEmployee, WireEmployee } from './employee-model.js';

/**
 * The `hr.department` ids of configured departments. Names are matched exactly, in English and in
 * the configured language: department names are translated, and Odoo compares a translated field
 * in the request's language, so `Marketing` would not match under `ar_001` alone.
 */
async function departmentIds(
  ctx: OdooContext,
  departments: ReadonlyArray<number | string>,
  signal: AbortSignal | undefined,
): Promise<number[]> {
  const ids = new Set(departments.filter((d): d is number => typeof d === 'number'));
  const names = departments.filter((d): d is string => typeof d === 'string');
  if (names.length > 0) {
    for (const lang of new Set(['en_US', ctx.config.lang ?? 'en_US'])) {
      const rows = await ctx.rpc.call('hr.department', 'search_read', {
        params: { domain: [['name', 'in', names]], fields: ['id'] },
        context: { lang },
        schema: z.array(z.object({ id: RecordId })),
        operation: 'employees',
        signal,
      });
      for (const row of rows) ids.add(row.id);
    }
  }
  return [...ids];
}

/**
 * Employees (`hr.employee`), archived ones included so departures are seen, oldest change first,
 * incremental by `write_date`. `employeeDepartments` in the config narrows it to departments
 * (ids, or exact names such as `Marketing`) — the marketing team.
 */
export const employees = stream({
  description: 'Employees (hr.employee), optionally of some departments, by write_date',
  record: Employee,
  checkpoint: OdooCheckpoint,
  async *read(scope: OdooContext, { checkpoint, signal }) {
    const ctx = forCall(scope, undefined);
    const departments = ctx.config.employeeDepartments;
    const ids = departments ? await departmentIds(ctx, departments, signal) : undefined;
    if (ids?.length === 0) return;
    yield* readIncremental(
      ctx,
      {
        model: 'hr.employee',
        fields: EMPLOYEE_FIELDS,
        domain: ids ? [['department_id', 'in', ids]] : [],
        // Archived employees too, so departures are seen.
        context: { active_test: false },
        wire: WireEmployee,
        map: async (records) => records.map((r) => toEmployee(r, ctx.config.defaultPhoneRegion)),
        operation: 'employees',
      },
      checkpoint,
      signal,
    );
  },
});
