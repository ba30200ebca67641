import { type z } from 'zod';
import { requireRole } from './access';
import { type Role } from './actor';
import { type RequestContext } from './subgraph';
import { parseInput } from './validation';

/** The arguments of a field that takes one id (and the representation `__resolveReference` gets). */
export interface IdArgs {
  id: string;
}

/** The arguments of a mutation that takes one input object, validated by its zod schema. */
export interface InputArgs {
  input: unknown;
}

/** An entity reference a resolver returns for the gateway to resolve in the owning subgraph. */
export const ref = (id: string): IdArgs => ({ id });
export const optionalRef = (id: string | null): IdArgs | null => (id ? { id } : null);

/**
 * What a root field declares once: who may call it and what its input must look like. The
 * roles are checked first (FORBIDDEN, nothing read), then the input (BAD_USER_INPUT naming every
 * bad field, nothing written). Finer rules (whose record it is) stay in the handler, which
 * receives the parsed input.
 */
export interface FieldSpec<S extends z.ZodType> {
  /** Roles that may call the field at all; network admins always may. Omit when every caller may. */
  roles?: Role[];
  /** Completes "Your roles do not allow you to …". */
  action?: string;
  /** Validates the field's `input` argument (or, with `from: 'args'`, all its arguments). */
  input: S;
  from?: 'input' | 'args';
}

/** A root field (usually a mutation) with its roles and input schema declared once. */
export function guarded<S extends z.ZodType, C extends RequestContext, R>(
  spec: FieldSpec<S>,
  run: (input: z.infer<S>, ctx: C) => R,
): (parent: unknown, args: Record<string, unknown>, ctx: C) => R {
  return (_parent, args, ctx) => {
    if (spec.roles) requireRole(ctx.actor, spec.roles, spec.action);
    const raw = spec.from === 'args' ? args : args.input;
    return run(parseInput(spec.input, raw), ctx);
  };
}
