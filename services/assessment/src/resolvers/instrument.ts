import { ensure, isNetworkAdmin, optionalRef, ref, type IdArgs, guarded } from '@medcollab/kit';
import { type AssessmentContext } from '../context';
import { createInstrument, listInstruments, setPlacementInstrument } from '../data/instruments';
import { canConfigureSchool, canCreateInstrument } from '../domain/access-policy';
import { type InstrumentKind } from '../domain/model';
import { createInstrumentSchema, setPlacementInstrumentSchema } from '../domain/validation';
import { type Instrument, type InstrumentItem, type PlacementInstrument } from '../entities';

/** Instruments are reference data: every signed-in caller reads them; schools and the network write them. */
export const instrumentResolvers = {
  Query: {
    instruments: (_: unknown, { kind }: { kind?: InstrumentKind | null }, ctx: AssessmentContext) =>
      listInstruments(ctx.dataSource, kind ?? null),
    instrument: (_: unknown, { id }: IdArgs, ctx: AssessmentContext) => ctx.loaders.instrument.load(id),
  },
  Mutation: {
    createInstrument: guarded(
      { roles: ['INSTITUTION_ADMIN', 'TEACHER'], action: 'create instruments', input: createInstrumentSchema },
      (data, ctx: AssessmentContext) => {
        const owner = data.ownerInstitutionId ?? (isNetworkAdmin(ctx.actor) ? null : ctx.actor.institutionId);
        ensure(canCreateInstrument(ctx.actor, owner), 'You may only create instruments for your own school');
        return ctx.command((em) => createInstrument(em, data, owner, ctx.actor.personId));
      },
    ),
    setPlacementInstrument: guarded(
      { roles: ['INSTITUTION_ADMIN', 'COORDINATOR'], action: 'choose the placement instrument', input: setPlacementInstrumentSchema },
      (data, ctx: AssessmentContext) => {
        ensure(
          canConfigureSchool(ctx.actor, data.schoolId),
          "Only the school's admins and coordinators may choose its placement instrument",
        );
        return ctx.command((em) => setPlacementInstrument(em, data, ctx.actor.personId, ctx.now));
      },
    ),
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
