import { type DataSource } from 'typeorm';

/**
 * For each competency, the modules of one program that address it: through learning objectives
 * mapped to the competency or to any competency beneath it (the curriculum map's rule), in the
 * program's module order. One statement for all the competencies asked.
 */
export async function modulesAddressing(
  ds: DataSource,
  programId: string,
  competencyIds: readonly string[],
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  if (!competencyIds.length) return found;
  const rows = (await ds.query(
    `WITH RECURSIVE down AS (
       SELECT c.id AS root_id, c.id FROM competency c WHERE c.id = ANY($2::uuid[])
       UNION
       SELECT down.root_id, child.id FROM competency child JOIN down ON child.parent_id = down.id
     )
     SELECT DISTINCT down.root_id, m.id AS module_id, m.year, m.position
       FROM down
       JOIN objective_competency oc ON oc.competency_id = down.id
       JOIN learning_objective o ON o.id = oc.objective_id
       JOIN curriculum_module m ON m.id = o.module_id
      WHERE m.program_id = $1
      ORDER BY m.year, m.position, m.id`,
    [programId, competencyIds],
  )) as { root_id: string; module_id: string }[];
  for (const r of rows) found.set(r.root_id, [...(found.get(r.root_id) ?? []), r.module_id]);
  return found;
}
