import { Employee, stream } from '@hmi/core';
import { forCall, type OdooContext } from '../odoo-context.js';
import { OdooCheckpoint, readIncremental } from '../sync/incremental.js';
import { EMPLOYEE_FIELDS, toEmployee, WireEmployee } from './employee-model.js';

/**
 * Employees (`hr.employee`), archived ones included so departures are seen, oldest change first,
 * incremental by `write_date`. `employeeDepartments` in the config narrows it to departments
 * (ids, or exact names such as `Marketing`) — the marketing team.
 */
export const employees = stream({
  description: 'Employees (hr.employee), optionally of some departments, by write_date',
  record: Employee,
  checkpoint: OdooCheckpoint,
  read(scope: OdooContext, { checkpoint, signal }) {
    const ctx = forCall(scope, undefined);
    const departments = ctx.config.employeeDepartments ?? [];
    const ids = departments.filter((d): d is number => typeof d === 'number');
    const names = departments.filter((d): d is string => typeof d === 'string');
    const byDepartment =
      ids.length && names.length
        ? ['|', ['department_id', 'in', ids], ['department_id.name', 'in', names]]
        : ids.length
          ? [['department_id', 'in', ids]]
          : names.length
            ? [['department_id.name', 'in', names]]
            : [];
    return readIncremental(
      ctx,
      {
        model: 'hr.employee',
        fields: EMPLOYEE_FIELDS,
        domain: [['active', 'in', [true, false]], ...byDepartment],
        wire: WireEmployee,
        map: async (records) => records.map((r) => toEmployee(r, ctx.config.defaultPhoneRegion)),
        operation: 'employees',
      },
      checkpoint,
      signal,
    );
  },
});
