import { ensure, isNetworkAdmin, parseInput, requireRole } from '@medcollab/kit';
import { type AssessmentContext } from '../context';
import { createInstrument, listInstruments, setPlacementInstrument } from '../data/instruments';
import { runCommand } from '../data/transaction';
import { canConfigureSchool, canCreateInstrument } from '../domain/access-policy';
import { type InstrumentKind } from '../domain/model';
import { createInstrumentSchema, setPlacementInstrumentSchema } from '../domain/validation';
import { type Instrument, type InstrumentItem, type PlacementInstrument } from '../entities';
import { type IdArgs, type InputArgs, optionalRef, ref } from './common';

/** Instruments are reference data: every signed-in caller reads them; schools and the network write them. */
export const instrumentResolvers = {
  Query: {
    instruments: (_: unknown, { kind }: { kind?: InstrumentKind | null }, ctx: AssessmentContext) =>
      listInstruments(ctx.dataSource, kind ?? null),
    instrument: (_: unknown, { id }: IdArgs, ctx: AssessmentContext) => ctx.loaders.instrument.load(id),
  },
  Mutation: {
    createInstrument: (_: unknown, { input }: InputArgs, ctx: AssessmentContext) => {
      requireRole(ctx.actor, ['INSTITUTION_ADMIN', 'TEACHER'], 'create instruments');
      const data = parseInput(createInstrumentSchema, input);
      const owner = data.ownerInstitutionId ?? (isNetworkAdmin(ctx.actor) ? null : ctx.actor.institutionId);
      ensure(canCreateInstrument(ctx.actor, owner), 'You may only create instruments for your own school');
      return runCommand(ctx.dataSource, (em) => createInstrument(em, data, owner, ctx.actor.personId));
    },
    setPlacementInstrument: (_: unknown, { input }: InputArgs, ctx: AssessmentContext) => {
      requireRole(ctx.actor, ['INSTITUTION_ADMIN', 'COORDINATOR'], 'choose the placement instrument');
      const data = parseInput(setPlacementInstrumentSchema, input);
      ensure(canConfigureSchool(ctx.actor, data.schoolId), "Only the school's admins and coordinators may choose its placement instrument");
      return runCommand(ctx.dataSource, (em) => setPlacementInstrument(em, data, ctx.actor.personId, ctx.now));
    },
  },
  Instrument: {
    __resolveReference: (r: IdArgs, ctx: AssessmentContext) => ctx.loaders.instrument.load(r.id),
    owner: (i: Instrument) => optionalRef(i.ownerInstitutionId),
    library: (i: Instrument) => i.libraryKey !== null,
    items: (i: Instrument, _: unknown, ctx: AssessmentContext) => ctx.loaders.itemsByInstrument.load(i.id),
  },
  InstrumentItem: {
    competencies: (item: InstrumentItem) => item.competencyIds.map(ref),
  },
  PlacementInstrument: {
    school: (p: PlacementInstrument) => ref(p.schoolId),
    instrument: (p: PlacementInstrument, _: unknown, ctx: AssessmentContext) => ctx.loaders.instrument.load(p.instrumentId),
  },
};
