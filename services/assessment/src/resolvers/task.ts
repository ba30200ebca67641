import {
  type ConnectionArgs,
  ensure,
  isStaffOf,
  NotFoundError,
  pageRequest,
  parseInput,
  optionalRef,
  ref,
  type IdArgs,
  guarded,
} from '@medcollab/kit';
import { type AssessmentContext } from '../context';
import { listAssessorTasks, listSampledOut } from '../data/task-list';
import { assignAssessment, declineAssessment, placementOfStudent, requireKnownStudent } from '../data/tasks';
import { canAssign, canWorkOnTask, isEvaluationRole } from '../domain/access-policy';
import { assignAssessmentSchema, declineAssessmentSchema, isUuid, taskFilterSchema } from '../domain/validation';
import { type AssessmentTask, type TaskSampling } from '../entities';

import { mayReadSubmission, readTask } from './read';

export const NOT_YOURS = 'Only the task’s assessor may do this';

export const taskResolvers = {
  Query: {
    assessmentTask: (_: unknown, { id }: IdArgs, ctx: AssessmentContext) => readTask(ctx, id),
    myAssessmentTasks: (_: unknown, args: ConnectionArgs & { filter?: unknown }, ctx: AssessmentContext) => {
      const { status } = parseInput(taskFilterSchema, args.filter);
      return listAssessorTasks(ctx.dataSource, ctx.actor.personId, status, pageRequest(args));
    },
    sampledOutTasks: (_: unknown, { schoolId }: { schoolId: string }, ctx: AssessmentContext) => {
      ensure(isUuid(schoolId) && isStaffOf(ctx.actor, schoolId), "Only the school's staff see its sampled-out tasks");
      return listSampledOut(ctx.dataSource, schoolId);
    },
  },
  Mutation: {
    assignAssessment: guarded(
      { roles: ['COORDINATOR', 'INSTITUTION_ADMIN', 'TEACHER'], action: 'assign assessments', input: assignAssessmentSchema },
      async (data, ctx: AssessmentContext) => {
        return ctx.command(async (em) => {
          const student = await requireKnownStudent(em, data.studentId);
          const placement = await placementOfStudent(em, data.placementId, student.id);
          ensure(
            canAssign(ctx.actor, student, placement, ctx.now),
            "Only the student's school, or the hospital of the placement named, may assign this student's assessments",
          );
          const task = await assignAssessment(em, data, student, placement, {
            actorId: ctx.actor.personId,
            now: ctx.now,
            settings: ctx.settings,
            meta: ctx.eventMeta,
          });
          ctx.audit.change('AssessmentTask', task.id, { studentId: task.studentId, schoolId: task.schoolId, change: 'assignAssessment' });
          return task;
        });
      },
    ),
    declineAssessment: guarded({ input: declineAssessmentSchema }, (data, ctx: AssessmentContext) => {
      return ctx.command(async (em) => {
        const task = await declineAssessment(em, data, {
          actorId: ctx.actor.personId,
          now: ctx.now,
          settings: ctx.settings,
          meta: ctx.eventMeta,
          authorize: (t) => ensure(canWorkOnTask(ctx.actor, t), NOT_YOURS),
        });
        ctx.audit.change('AssessmentTask', task.id, {
          studentId: task.studentId,
          schoolId: task.schoolId,
          change: 'declineAssessment',
          fields: ['status'],
          reason: data.reason,
        });
        return task;
      });
    }),
  },
  AssessmentTask: {
    __resolveReference: (r: IdArgs, ctx: AssessmentContext) => readTask(ctx, r.id),
    instrument: async (t: AssessmentTask, _: unknown, ctx: AssessmentContext) => {
      const instrument = await ctx.loaders.instrument.load(t.instrumentId);
      if (!instrument) throw new NotFoundError('Instrument', t.instrumentId);
      return instrument;
    },
    assessorStaff: (t: AssessmentTask) => (isEvaluationRole(t.role) ? null : ref(t.assessorId)),
    assessorStudent: (t: AssessmentTask) => (isEvaluationRole(t.role) ? ref(t.assessorId) : null),
    subjectStudent: (t: AssessmentTask) => (isEvaluationRole(t.role) ? null : ref(t.studentId)),
    subjectTeacher: (t: AssessmentTask) => optionalRef(t.subjectStaffId),
    subjectDepartment: (t: AssessmentTask) => optionalRef(t.subjectDepartmentId),
    placement: (t: AssessmentTask) => optionalRef(t.placementId),
    previousAssessor: (t: AssessmentTask) => optionalRef(t.previousAssessorId),
    rotation: (t: AssessmentTask) => t.rotationName ?? null,
    coversFrom: (t: AssessmentTask) => t.coversStartsOn ?? null,
    coversUntil: (t: AssessmentTask) => t.coversEndsOn ?? null,
    submission: async (t: AssessmentTask, _: unknown, ctx: AssessmentContext) => {
      const [submission] = await ctx.loaders.submissionByTask.load(t.id);
      return submission && (await mayReadSubmission(ctx, t, submission)) ? submission : null;
    },
  },
  SampledOutTask: {
    placement: (s: TaskSampling) => ref(s.placementId),
  },
};
