import {
  type ConnectionArgs,
  ensure,
  isNetworkAdmin,
  isStaffOf,
  NotFoundError,
  pageRequest,
  parseInput,
  requireRole,
  type IdArgs,
  type InputArgs,
} from '@medcollab/kit';
import { type CurriculumContext } from '../context';
import { listProgramEnrollments } from '../data/enrollments';
import { activeSchoolsOfHospital } from '../data/projections';
import { createProgram, createTrack, listPrograms } from '../data/programs';
import { canChangeCurriculum, CURRICULUM_AUTHORS } from '../domain/access-policy';
import { optionalId } from '../domain/validation/common';
import { createProgramSchema, createTrackSchema } from '../domain/validation/programs';
import { type Program, type Track } from '../entities';

export const CHANGE_DENIED = "Only the school's admins and teachers (or a network admin) may change its curriculum";

/** The program a write names, after checking the caller may change its school's curriculum. */
export async function programToChange(ctx: CurriculumContext, programId: string): Promise<Program> {
  const program = await ctx.loaders.program.load(programId);
  if (!program) throw new NotFoundError('Program (programId)', programId);
  ensure(canChangeCurriculum(ctx.actor, program.schoolId), CHANGE_DENIED);
  return program;
}

/** A program the caller may read, null when there is none; FORBIDDEN otherwise. */
export async function readProgram(ctx: CurriculumContext, id: string): Promise<Program | null> {
  const program = await ctx.loaders.program.load(id);
  if (!program) return null;
  await ctx.access.requireReadSchool(program.schoolId);
  return program;
}

/** Schools whose curriculum the caller may read (null: every school, for network admins). */
async function readableSchools(ctx: CurriculumContext): Promise<string[] | null> {
  if (isNetworkAdmin(ctx.actor)) return null;
  const own = ctx.actor.institutionId;
  if (!own) return [];
  const candidates = [own, ...(isStaffOf(ctx.actor, own) ? await activeSchoolsOfHospital(ctx.dataSource, own) : [])];
  const allowed = await Promise.all(candidates.map((id) => ctx.access.canReadSchool(id)));
  return candidates.filter((_, i) => allowed[i]);
}

export const programResolvers = {
  Query: {
    program: (_: unknown, { id }: IdArgs, ctx: CurriculumContext) => readProgram(ctx, id),
    programs: async (_: unknown, args: { schoolId?: unknown }, ctx: CurriculumContext) => {
      const schoolId = parseInput(optionalId, args.schoolId);
      if (schoolId) {
        await ctx.access.requireReadSchool(schoolId);
        return listPrograms(ctx.dataSource, [schoolId]);
      }
      return listPrograms(ctx.dataSource, await readableSchools(ctx));
    },
  },
  Mutation: {
    createProgram: (_: unknown, { input }: InputArgs, ctx: CurriculumContext) => {
      requireRole(ctx.actor, CURRICULUM_AUTHORS, 'create programs');
      const data = parseInput(createProgramSchema, input);
      ensure(canChangeCurriculum(ctx.actor, data.schoolId), CHANGE_DENIED);
      return ctx.command((em) => createProgram(em, data));
    },
    createTrack: async (_: unknown, { input }: InputArgs, ctx: CurriculumContext) => {
      requireRole(ctx.actor, CURRICULUM_AUTHORS, 'create tracks');
      const data = parseInput(createTrackSchema, input);
      await programToChange(ctx, data.programId);
      return ctx.command((em) => createTrack(em, data));
    },
  },
  Institution: {
    programs: async (i: IdArgs, _: unknown, ctx: CurriculumContext) =>
      (await ctx.access.canReadSchool(i.id)) ? ctx.loaders.programsBySchool.load(i.id) : [],
  },
  Program: {
    __resolveReference: (ref: IdArgs, ctx: CurriculumContext) => readProgram(ctx, ref.id),
    school: (p: Program) => ({ id: p.schoolId }),
    modules: (p: Program, _: unknown, ctx: CurriculumContext) => ctx.loaders.modulesByProgram.load(p.id),
    tracks: (p: Program, _: unknown, ctx: CurriculumContext) => ctx.loaders.tracksByProgram.load(p.id),
    enrollments: (p: Program, args: ConnectionArgs, ctx: CurriculumContext) => {
      ensure(isStaffOf(ctx.actor, p.schoolId), "Only the school's staff may list a program's enrolments");
      return listProgramEnrollments(ctx.dataSource, p.id, pageRequest(args));
    },
  },
  Track: {
    __resolveReference: async (ref: IdArgs, ctx: CurriculumContext) => {
      const track = await ctx.loaders.track.load(ref.id);
      if (track) await readProgram(ctx, track.programId);
      return track;
    },
    program: (t: Track, _: unknown, ctx: CurriculumContext) => ctx.loaders.program.load(t.programId),
  },
};
