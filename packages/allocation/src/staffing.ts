import { type Instance } from './instance';
import { type InfeasibilityReason, type UnderstaffedSite } from './types';

/**
 * Departments and blocks left empty because their minimum staffing could not be met: those no
 * allocation can staff (closed when the instance is built), and, for a lottery, those its draw
 * left below the minimum (`drawn`: index in `Instance.staffed` → why).
 */
export function understaffedSites(inst: Instance, drawn: ReadonlyMap<number, string> = new Map()): UnderstaffedSite[] {
  return inst.staffed.flatMap((entry, k) => {
    const why = entry.closed ?? drawn.get(k);
    if (!why) return [];
    const site = inst.sites[entry.sites[0]!]!;
    const block = inst.blocks[entry.block]!;
    return [
      {
        departmentId: site.departmentId,
        blockId: block.id,
        minStudents: entry.min,
        message: `${site.departmentName} (${site.hospitalName}) in ${block.label} stays empty: it needs at least ${entry.min} students or none, and ${why}`,
      },
    ];
  });
}

/** The same, as reasons to add to an INFEASIBLE result (they may be why it is). */
export function understaffedReasons(inst: Instance): InfeasibilityReason[] {
  return understaffedSites(inst).map((u) => ({
    kind: 'UNDERSTAFFED',
    message: u.message,
    departmentId: u.departmentId,
    blockId: u.blockId,
    shortfall: u.minStudents,
  }));
}
