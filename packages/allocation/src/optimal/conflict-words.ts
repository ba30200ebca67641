import { type Instance } from '../instance';
import { type ConflictPart } from '../types';
import { type Part } from './conflict-parts';

/**
 * A conflicting set's constraints in words, the way a coordinator names them: students,
 * departments, hospitals, specialties and blocks by name (ids only where the snapshot has no
 * name), e.g. "Alex Kim's bar from St Mary's Hospital and Alex Kim's pin to Cardiology
 * (St Mary's Hospital) in block 3 cannot both hold."
 */

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function namesOf(inst: Instance) {
  const departments = new Map<string, { name: string; hospitalId: string }>();
  const hospitals = new Map<string, string>();
  for (const d of [...(inst.input.departments ?? []), ...inst.input.sites]) {
    if (d.departmentName || !departments.has(d.departmentId))
      departments.set(d.departmentId, { name: d.departmentName ?? d.departmentId, hospitalId: d.hospitalId });
    if (d.hospitalName || !hospitals.has(d.hospitalId)) hospitals.set(d.hospitalId, d.hospitalName ?? d.hospitalId);
  }
  const hospital = (id: string) => hospitals.get(id) ?? id;
  return {
    hospital,
    /** "Cardiology (St Mary's Hospital)". */
    department: (id: string) => {
      const d = departments.get(id);
      return d ? `${d.name} (${hospital(d.hospitalId)})` : id;
    },
    hospitalOf: (id: string) => departments.get(id)?.hospitalId,
    block: (id: string) => inst.blocks[inst.blockIndex.get(id)!]?.label ?? id,
  };
}

/** Each part as it is reported: its words and what it names. */
export function describeParts(inst: Instance, parts: readonly Part[]): ConflictPart[] {
  const input = inst.input;
  const name = namesOf(inst);
  const who = (s: number) => inst.students[s]!.name;
  return parts.map((p): ConflictPart => {
    const s = p.student;
    const student = s === undefined ? {} : { studentIds: [inst.students[s]!.id] };
    const r = s === undefined ? undefined : input.students[s]!.requirement;
    const spec = p.specialty === undefined ? {} : { specialty: p.specialty };
    switch (p.kind) {
      case 'PLACEMENT':
        return { kind: p.kind, text: `${who(s!)}'s placement in ${plural(r!.blocksToFill, 'block')}`, ...student };
      case 'SPECIALTY_MINIMUM': {
        const q = r!.specialties.find((x) => x.specialty === p.specialty)!;
        return { kind: p.kind, text: `${who(s!)}'s requirement of ${plural(q.minBlocks, 'block')} of ${p.specialty}`, ...student, ...spec };
      }
      case 'SPECIALTY_MAXIMUM': {
        const q = r!.specialties.find((x) => x.specialty === p.specialty)!;
        const max = q.maxBlocks ?? q.minBlocks;
        return { kind: p.kind, text: `${who(s!)}'s limit of ${plural(max, 'block')} of ${p.specialty}`, ...student, ...spec };
      }
      case 'ROTATION_LENGTH': {
        const q = r!.specialties.find((x) => x.specialty === p.specialty)!;
        return {
          kind: p.kind,
          text: `${who(s!)}'s ${p.specialty} rotations lasting ${q.durationBlocks} consecutive blocks at one department`,
          ...student,
          ...spec,
        };
      }
      case 'ELECTIVES':
        return {
          kind: p.kind,
          text: `${who(s!)}'s limit of ${plural(r!.electiveMaxBlocks, 'block')} in each specialty not required of them`,
          ...student,
        };
      case 'GROUP':
        return {
          kind: p.kind,
          text: `${who(s!)}'s requirement group ${inst.students[s!]!.groups[p.index!]!.label}`,
          ...student,
          specialties: [...r!.groups![p.index!]!.specialties],
        };
      case 'DEPARTMENT_LIMIT':
        return {
          kind: p.kind,
          text: `${who(s!)}'s limit of ${plural(r!.departmentMaxBlocks!, 'rotation')} at any one department`,
          ...student,
        };
      case 'PIN': {
        const pin = input.pins![p.index!]!;
        const noSeat = inst.pins[p.index!]!.site === -1 ? ' (it has no seat there open to their school)' : '';
        return {
          kind: p.kind,
          text: `${who(s!)}'s pin to ${name.department(pin.departmentId)} in ${name.block(pin.blockId)}${noSeat}`,
          ...student,
          departmentId: pin.departmentId,
          blockId: pin.blockId,
        };
      }
      case 'BAR': {
        const bar = input.bars![p.index!]!;
        const where = bar.departmentId ? name.department(bar.departmentId) : name.hospital(bar.hospitalId!);
        const when = bar.blockId ? ` in ${name.block(bar.blockId)}` : '';
        const why = bar.reason ? ` (${bar.reason})` : '';
        return {
          kind: p.kind,
          text: `${who(s!)}'s bar from ${where}${when}${why}`,
          ...student,
          ...(bar.departmentId ? { departmentId: bar.departmentId } : { hospitalId: bar.hospitalId! }),
          ...(bar.blockId ? { blockId: bar.blockId } : {}),
        };
      }
      case 'UNAVAILABLE': {
        const u = input.unavailable![p.index!]!;
        const why = u.reason ? ` (${u.reason})` : '';
        return { kind: p.kind, text: `${who(s!)}'s absence in ${name.block(u.blockId)}${why}`, ...student, blockId: u.blockId };
      }
      case 'PREREQUISITE': {
        const q = input.prerequisites![p.index!]!;
        return {
          kind: p.kind,
          text: `${who(s!)}'s prerequisite: no ${q.specialty} before ${name.block(q.notBeforeBlockId)}`,
          ...student,
          specialty: q.specialty,
          blockId: q.notBeforeBlockId,
        };
      }
      case 'PRECEDENCE': {
        const q = input.precedences![p.index!]!;
        return {
          kind: p.kind,
          text: `${who(s!)}'s order: every ${q.before} block before any ${q.after} block`,
          ...student,
          specialties: [q.before, q.after],
        };
      }
      case 'PAIR': {
        const ids = input.pairs![p.index!]!.studentIds;
        const names = ids.map((id) => inst.students[inst.studentIndex.get(id)!]!.name);
        return {
          kind: p.kind,
          text: `that ${names.slice(0, -1).join(', ')} and ${names.at(-1)} are placed together`,
          studentIds: [...ids],
        };
      }
      case 'HOSPITAL_LIMIT': {
        const l = input.hospitalLimits![p.index!]!;
        return {
          kind: p.kind,
          text: `${name.hospital(l.hospitalId)}'s limit of ${plural(l.maxBlocksPerStudent, 'block')} per student`,
          hospitalId: l.hospitalId,
        };
      }
      case 'STAFFING_MINIMUM': {
        const m = input.staffingMinimums![p.index!]!;
        const when = m.blockId ? ` in ${name.block(m.blockId)}` : '';
        return {
          kind: p.kind,
          text: `the minimum of ${m.minStudents} students (or none) at ${name.department(m.departmentId)}${when}`,
          departmentId: m.departmentId,
          ...(m.blockId ? { blockId: m.blockId } : {}),
        };
      }
      case 'SEATS': {
        const x = inst.sites[p.site!]!;
        const block = inst.blocks[x.block]!;
        const seats = x.seats === 0 ? 'no seat' : `the ${plural(x.seats, 'seat')}`;
        return {
          kind: p.kind,
          text: `${seats} at ${x.departmentName} (${x.hospitalName}) in ${block.label}`,
          departmentId: x.departmentId,
          blockId: block.id,
        };
      }
    }
  });
}

/** The set as one sentence, with whether lifting any one part is proven to let the others hold. */
export function conflictMessage(parts: readonly ConflictPart[], minimal: boolean): string {
  const texts = parts.map((p) => p.text);
  const head =
    texts.length === 1
      ? `${texts[0]} cannot hold.`
      : texts.length === 2
        ? `${texts[0]} and ${texts[1]} cannot both hold.`
        : `These cannot all be met together: ${texts.join('; ')}.`;
  const tail =
    texts.length === 1
      ? ''
      : minimal
        ? ' Lifting any one of them lets all the others hold.'
        : ' This set is small but not proven minimal (the checks ran out of time).';
  return head + tail;
}
