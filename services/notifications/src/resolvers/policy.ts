import { ensure, guarded } from '@medcollab/kit';
import { z } from 'zod';
import { type NotificationsContext } from '../context';
import { policyOf, savePolicy } from '../data/policies';
import { replanSchool } from '../data/plans';
import { replanSchoolMentorships } from '../data/mentee-meeting-reminders';
import { canManageNotifications } from '../domain/access-policy';
import { reminderPolicySchema } from '../domain/policy';

const NOT_YOURS = "Only the institution's admins and quality officers manage its reminders";
const byInstitution = z.object({ institutionId: z.uuid() });

export const policyResolvers = {
  Query: {
    reminderPolicy: guarded(
      { roles: ['INSTITUTION_ADMIN', 'QUALITY_OFFICER'], action: 'read reminder policies', input: byInstitution, from: 'args' },
      async ({ institutionId }, ctx: NotificationsContext) => {
        ensure(canManageNotifications(ctx.actor, institutionId), NOT_YOURS);
        return { institutionId, ...(await policyOf(ctx.dataSource.manager, institutionId)) };
      },
    ),
  },
  Mutation: {
    setReminderPolicy: guarded(
      { roles: ['INSTITUTION_ADMIN', 'QUALITY_OFFICER'], action: 'change reminder policies', input: reminderPolicySchema },
      (data, ctx: NotificationsContext) => {
        ensure(canManageNotifications(ctx.actor, data.institutionId), NOT_YOURS);
        return ctx.command(async (em) => {
          await savePolicy(em, data, ctx.actor.personId, ctx.now);
          await replanSchool(em, data.institutionId, ctx.now);
          await replanSchoolMentorships(em, data.institutionId, ctx.now);
          return { institutionId: data.institutionId, ...(await policyOf(em, data.institutionId)) };
        });
      },
    ),
  },
};
