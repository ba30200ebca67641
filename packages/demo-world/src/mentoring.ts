/**
 * The demo's mentoring activity, which mentorship's demo seed creates through its own commands
 * (so its events reach quality like any other): one cohort of the first school, each student
 * with a one-to-one mentor, their meetings and their development goals. Six mentees, every one
 * of whom meets: quality releases a school's per-mentee figures only when at least five distinct
 * students stand behind them (QUALITY_MIN_EVALUATORS), and a "mentees without a meeting" figure
 * of one or two would be hidden.
 */
export const DEMO_MENTORING = {
  /** Index in DEMO_SCHOOLS. */
  schoolIndex: 0,
  /** The cohort mentored (the demo's matching cohort, 2023, is left for the coordinator to match). */
  cohortYear: 2021,
  /** Meetings each mentee attends, by position in the cohort: today, then yesterday (a meeting cannot predate its mentorship by more than a day). */
  meetings: [2, 1, 2, 1, 1, 2],
  /** One goal per mentee; the first `achieved` mentees' goals are ACHIEVED (with an assessment as evidence). */
  goalTitles: ['Lead a ward round under supervision', 'Present a case at the department meeting', 'Complete ten supervised ECG readings'],
  achieved: 3,
} as const;
