import { type MentorshipFormat, type TrackKind } from './model';

/**
 * Personalised training (docs/architecture.md §1): students who bring clinical experience are steered
 * to research methods; students without it to clinical practice with close mentorship. The
 * recommendation is advice with its reasons, never applied by itself. Pure.
 */

/** From this many years of earlier clinical work on, a student counts as clinically experienced. */
export const EXPERIENCED_MIN_YEARS = 2;

export const RESEARCH_FOCUS = ['research methods', 'biostatistics', 'clinical trial design', 'scientific paper writing'] as const;
export const CLINICAL_FOCUS = [
  'history taking and examination',
  'clinical reasoning',
  'procedural skills',
  'teamwork on the ward',
] as const;

export interface TrackOption {
  id: string;
  kind: TrackKind;
  title: string;
}

export interface TrackRecommendation {
  kind: TrackKind;
  /** The program's track of that kind (the first by title), or null when it offers none. */
  trackId: string | null;
  focusAreas: string[];
  /** Close mentorship for students new to clinical work; null when none is advised. */
  mentorship: { format: MentorshipFormat; focus: TrackKind } | null;
  reasons: string[];
}

const years = (n: number) => `${n} year${n === 1 ? '' : 's'}`;

export function recommendTrack(priorClinicalYears: number, tracks: readonly TrackOption[]): TrackRecommendation {
  const experienced = priorClinicalYears >= EXPERIENCED_MIN_YEARS;
  const kind: TrackKind = experienced ? 'RESEARCH' : 'CLINICAL_PRACTICE';
  const track = [...tracks].filter((t) => t.kind === kind).sort((a, b) => a.title.localeCompare(b.title))[0] ?? null;
  const reasons = experienced
    ? [
        `The student brings ${years(priorClinicalYears)} of clinical work (${EXPERIENCED_MIN_YEARS} or more counts as experienced).`,
        'Experienced students gain most from research training: research methods, biostatistics, trial design and paper writing.',
      ]
    : [
        priorClinicalYears === 0
          ? 'The student has no clinical work experience yet.'
          : `The student brings ${years(priorClinicalYears)} of clinical work, less than the ${EXPERIENCED_MIN_YEARS} that count as experienced.`,
        'Students new to clinical work are steered to clinical practice first, with a mentor at their side.',
      ];
  const mentorship: TrackRecommendation['mentorship'] = experienced
    ? null
    : { format: priorClinicalYears === 0 ? 'ONE_ON_ONE' : 'SMALL_GROUP', focus: 'CLINICAL_PRACTICE' };
  if (mentorship) {
    reasons.push(
      mentorship.format === 'ONE_ON_ONE'
        ? 'Without any clinical experience, one-on-one mentorship is advised.'
        : 'With some clinical experience, small-group mentorship is enough.',
    );
  }
  reasons.push(track ? `The program offers the ${kind} track "${track.title}".` : `The program offers no ${kind} track yet.`);
  return { kind, trackId: track?.id ?? null, focusAreas: [...(experienced ? RESEARCH_FOCUS : CLINICAL_FOCUS)], mentorship, reasons };
}
