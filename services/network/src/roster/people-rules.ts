import { z } from 'zod';
import { emailSchema, MAX_PRIOR_CLINICAL_YEARS, MIN_COHORT_YEAR, sourcedIdSchema } from '../domain/validation';
import { type RosterIssue } from './model';

/**
 * Field checks shared by both formats: each returns the clean value, or records an issue
 * naming the file, line and column and returns null.
 */
export class LineChecker {
  constructor(
    readonly file: string,
    readonly line: number,
    private readonly issues: RosterIssue[],
  ) {}

  /** Issues recorded so far, all lines together (a line is valid when it added none). */
  issueCount(): number {
    return this.issues.length;
  }

  fail(column: string | null, message: string): null {
    this.issues.push({ file: this.file, line: this.line, column, message });
    return null;
  }

  required(values: Record<string, string>, column: string): string | null {
    const value = values[column]?.trim() ?? '';
    return value ? value : this.fail(column, `${column} is required`);
  }

  sourcedId(values: Record<string, string>, column: string): string | null {
    const value = this.required(values, column);
    if (value === null) return null;
    const parsed = sourcedIdSchema.safeParse(value);
    return parsed.success ? parsed.data : this.fail(column, `${column}: ${parsed.error.issues[0]?.message}`);
  }

  name(values: Record<string, string>, column: string): string | null {
    const value = this.required(values, column);
    if (value === null) return null;
    return value.length <= 100 ? value : this.fail(column, `${column} must be at most 100 characters`);
  }

  email(values: Record<string, string>, column: string): string | null {
    const value = this.required(values, column);
    if (value === null) return null;
    const parsed = emailSchema.safeParse(value);
    return parsed.success ? parsed.data : this.fail(column, `${column} "${value}" is not a well-formed email address`);
  }

  cohortYear(value: string, column: string, currentYear: number): number | null {
    const year = Number(value);
    if (!/^\d{4}$/.test(value) || year < MIN_COHORT_YEAR || year > currentYear + 1)
      return this.fail(column, `${column} "${value}" must be a year from ${MIN_COHORT_YEAR} to ${currentYear + 1}`);
    return year;
  }

  priorClinicalYears(value: string | undefined, column: string): number | null {
    if (!value) return 0;
    const parsed = z.coerce.number().int().min(0).max(MAX_PRIOR_CLINICAL_YEARS).safeParse(value);
    return parsed.success
      ? parsed.data
      : this.fail(column, `${column} "${value}" must be a whole number from 0 to ${MAX_PRIOR_CLINICAL_YEARS}`);
  }
}
