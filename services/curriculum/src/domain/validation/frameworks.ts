import { z } from 'zod';
import { findCycle } from '../graph';
import { COMPETENCY_DOMAINS, SPECIALTIES } from '../model';
import { code, id, normalizeKey, optionalId, optionalText, refineUnique, text } from './common';

/** The most competencies one framework (or one import) may carry; CanMEDS, EPAs and NOTSS have far fewer. */
export const MAX_COMPETENCIES = 2_000;

const category = text(2, 100);

const competencyFields = {
  code,
  title: text(2, 500),
  description: optionalText(4_000),
  domain: z.enum(COMPETENCY_DOMAINS),
  category,
};

/** A competency created together with its framework; `parentCode` names another one of the same list. */
export const newCompetencySchema = z.object({ ...competencyFields, parentCode: code.nullish().transform((v) => v ?? null) });
export type NewCompetency = z.infer<typeof newCompetencySchema>;

/**
 * A list of new competencies: codes unique (case-insensitively), every parentCode naming a
 * competency of the list, and no competency its own ancestor.
 */
export function refineHierarchy(items: readonly NewCompetency[], ctx: z.RefinementCtx, listPath: string): void {
  refineUnique(
    items,
    (c) => c.code,
    (i) => [listPath, i, 'code'],
    ctx,
    'code',
  );
  const codes = new Set(items.map((c) => normalizeKey(c.code)));
  items.forEach((c, i) => {
    if (c.parentCode !== null && !codes.has(normalizeKey(c.parentCode))) {
      ctx.addIssue({ code: 'custom', path: [listPath, i, 'parentCode'], message: `names no competency of this list ("${c.parentCode}")` });
    }
  });
  const graph = new Map(items.map((c) => [normalizeKey(c.code), c.parentCode === null ? [] : [normalizeKey(c.parentCode)]]));
  const cycle = findCycle(graph);
  if (cycle) ctx.addIssue({ code: 'custom', path: [listPath], message: `parents form a cycle: ${cycle.join(' → ')}`, params: { cycle } });
}

export const createFrameworkSchema = z
  .object({
    name: text(2, 200),
    version: text(1, 40),
    description: optionalText(4_000),
    ownerInstitutionId: optionalId,
    competencies: z
      .array(newCompetencySchema)
      .max(MAX_COMPETENCIES, `must list at most ${MAX_COMPETENCIES}`)
      .nullish()
      .transform((v) => v ?? []),
  })
  .superRefine((v, ctx) => refineHierarchy(v.competencies, ctx, 'competencies'));
export type CreateFrameworkInput = z.infer<typeof createFrameworkSchema>;

export const addCompetencySchema = z.object({ frameworkId: id, parentId: optionalId, ...competencyFields });
export type AddCompetencyInput = z.infer<typeof addCompetencySchema>;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const createPostProfileSchema = z
  .object({
    title: text(2, 200),
    specialty: z
      .enum(SPECIALTIES)
      .nullish()
      .transform((v) => v ?? null),
    description: optionalText(4_000),
    ownerInstitutionId: optionalId,
    scale: z.object({ name: text(1, 100), min: finite, max: finite }),
    requirements: z
      .array(z.object({ competencyId: id, level: finite }))
      .min(1, 'list at least one required competency')
      .max(MAX_COMPETENCIES, `must list at most ${MAX_COMPETENCIES}`),
  })
  .superRefine((v, ctx) => {
    if (!(v.scale.max > v.scale.min)) ctx.addIssue({ code: 'custom', path: ['scale', 'max'], message: 'must be greater than scale.min' });
    v.requirements.forEach((r, i) => {
      if (r.level < v.scale.min || r.level > v.scale.max) {
        ctx.addIssue({
          code: 'custom',
          path: ['requirements', i, 'level'],
          message: `must lie on the scale ${v.scale.name} (${v.scale.min} to ${v.scale.max})`,
        });
      }
    });
    refineUnique(
      v.requirements,
      (r) => r.competencyId,
      (i) => ['requirements', i, 'competencyId'],
      ctx,
      'competency',
    );
  });
export type CreatePostProfileInput = z.infer<typeof createPostProfileSchema>;
