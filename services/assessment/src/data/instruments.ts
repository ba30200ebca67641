import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { type InstrumentKind, isEvaluationKind } from '../domain/model';
import { refusal } from '../domain/refusals';
import { type CreateInstrumentInput, type SetPlacementInstrumentInput } from '../domain/validation';
import { Instrument, InstrumentItem, PlacementInstrument } from '../entities';

/** True when assessment has heard of the institution as a hospital (an agreement's or a placement's). */
async function isKnownHospital(em: EntityManager, institutionId: string): Promise<boolean> {
  const [row] = (await em.query(
    `SELECT EXISTS (SELECT 1 FROM known_agreement WHERE hospital_id = $1) OR EXISTS (SELECT 1 FROM known_placement WHERE hospital_id = $1) AS hospital`,
    [institutionId],
  )) as { hospital: boolean }[];
  return row?.hospital ?? false;
}

/** Every item's competencies must be ones the curriculum has published; the first unknown one is named by path. */
async function checkCompetencies(em: EntityManager, input: CreateInstrumentInput): Promise<void> {
  const ids = [...new Set(input.items.flatMap((i) => i.competencyIds))];
  if (!ids.length) return;
  const rows = (await em.query(`SELECT id FROM known_competency WHERE id = ANY($1::uuid[])`, [ids])) as { id: string }[];
  const known = new Set(rows.map((r) => r.id));
  for (const [i, item] of input.items.entries()) {
    const j = item.competencyIds.findIndex((id) => !known.has(id));
    if (j >= 0) {
      throw refusal(
        'UNKNOWN_COMPETENCY',
        `items.${i}.competencyIds.${j}: the curriculum has published no competency ${item.competencyIds[j]}`,
        {
          field: `items.${i}.competencyIds.${j}`,
        },
      );
    }
  }
}

/** Creates an instrument and its items in the caller's transaction (checked first: owner, competencies). */
export async function createInstrument(
  em: EntityManager,
  input: CreateInstrumentInput,
  ownerInstitutionId: string | null,
  createdBy: string,
  opts: { id?: string } = {},
): Promise<Instrument> {
  if (ownerInstitutionId && (await isKnownHospital(em, ownerInstitutionId))) {
    throw refusal('OWNER_IS_HOSPITAL', 'Instruments are maintained by schools or by the network, not by hospitals', {
      field: 'ownerInstitutionId',
    });
  }
  await checkCompetencies(em, input);
  const instrument = em.getRepository(Instrument).create({
    id: opts.id ?? randomUUID(),
    kind: input.kind,
    title: input.title,
    purpose: input.purpose,
    description: input.description,
    ownerInstitutionId,
    libraryKey: null,
    createdBy,
  });
  await em.getRepository(Instrument).insert(instrument);
  await em.getRepository(InstrumentItem).insert(
    input.items.map((item, i) => ({
      instrumentId: instrument.id,
      key: item.key,
      position: i + 1,
      label: item.label,
      category: item.category,
      required: item.required,
      scale: item.scale,
      competencyIds: item.competencyIds,
    })),
  );
  return (await em.getRepository(Instrument).findOneBy({ id: instrument.id })) as Instrument;
}

export function listInstruments(ds: DataSource, kind: InstrumentKind | null): Promise<Instrument[]> {
  return ds.getRepository(Instrument).find({ where: kind ? { kind } : {}, order: { kind: 'ASC', title: 'ASC', id: 'ASC' } });
}

export async function requireInstrument(em: EntityManager, id: string, field = 'instrumentId'): Promise<Instrument> {
  const instrument = await em.getRepository(Instrument).findOneBy({ id });
  if (!instrument) throw new NotFoundError(`Instrument (${field})`, id);
  return instrument;
}

/**
 * Sets the instrument a school's (or one program's) placements are assessed with: a student
 * assessment of the library or of the school itself. A program already known (from enrolments)
 * to belong to another school is refused.
 */
export async function setPlacementInstrument(
  em: EntityManager,
  input: SetPlacementInstrumentInput,
  actorId: string,
  now: Date,
): Promise<PlacementInstrument> {
  const instrument = await requireInstrument(em, input.instrumentId);
  if (isEvaluationKind(instrument.kind)) {
    throw refusal(
      'INSTRUMENT_NOT_ASSIGNABLE',
      'Placements are assessed with a student assessment, not an evaluation of a site or teacher',
      { field: 'instrumentId' },
    );
  }
  if (instrument.ownerInstitutionId !== null && instrument.ownerInstitutionId !== input.schoolId) {
    throw refusal('INSTRUMENT_NOT_ASSIGNABLE', "The instrument belongs to another school; use the library's or your own", {
      field: 'instrumentId',
    });
  }
  if (input.programId) {
    const [other] = (await em.query(`SELECT school_id FROM known_enrollment WHERE program_id = $1 AND school_id <> $2 LIMIT 1`, [
      input.programId,
      input.schoolId,
    ])) as unknown[];
    if (other) throw refusal('PROGRAM_OF_ANOTHER_SCHOOL', 'The program belongs to another school', { field: 'programId' });
  }
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('assessment.placement-instrument'), hashtext($1))`, [input.schoolId]);
  const repo = em.getRepository(PlacementInstrument);
  const existing = await repo
    .createQueryBuilder('p')
    .where('p.school_id = :schoolId', { schoolId: input.schoolId })
    .andWhere(input.programId ? 'p.program_id = :programId' : 'p.program_id IS NULL', { programId: input.programId })
    .getOne();
  const row = repo.create({
    id: existing?.id ?? randomUUID(),
    schoolId: input.schoolId,
    programId: input.programId,
    instrumentId: instrument.id,
    updatedBy: actorId,
    updatedAt: now,
  });
  await repo.save(row);
  return row;
}
