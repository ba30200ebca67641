import { parseInput, optionalRef, ref } from '@medcollab/kit';
import { z } from 'zod';
import { type MentorshipContext } from '../context';
import { listNotices } from '../data/notices';
import { firstSchema } from '../domain/validation';
import { type MentorNotice } from '../entities';

const argsSchema = z.object({ first: firstSchema(100, 20) });

export const noticeResolvers = {
  Query: {
    /** Always the caller's own notices: nobody reads another person's. */
    myMentorNotices: (_: unknown, args: unknown, ctx: MentorshipContext) =>
      listNotices(ctx.dataSource, ctx.actor.personId, parseInput(argsSchema, args).first),
  },
  MentorNotice: {
    student: (n: MentorNotice) => ref(n.studentId),
    mentorship: (n: MentorNotice, _: unknown, ctx: MentorshipContext) => ctx.loaders.mentorship.load(n.mentorshipId),
    hospital: (n: MentorNotice) => optionalRef(n.hospitalId),
    department: (n: MentorNotice) => optionalRef(n.departmentId),
    competencies: (n: MentorNotice) => (n.competencyIds ?? []).map(ref),
  },
};
