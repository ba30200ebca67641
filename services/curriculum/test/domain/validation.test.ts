import { parseInput } from '@medcollab/kit';
import { addModuleSchema, addSessionSchema, createFrameworkSchema, createTrackSchema } from '../../src/domain/validation';

const fieldsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    return ((error as { details?: { fields?: { path: string }[] } }).details?.fields ?? []).map((f) => f.path);
  }
  throw new Error('expected the input to be refused');
};

const id = '7f1d1b0e-8a55-4a4e-9f44-3a3b3c3d3e3f';

describe('input validation', () => {
  it('refuses negative hours and a discipline listed twice, naming each', () => {
    const input = {
      programId: id,
      code: 'CARD',
      title: 'Cardio',
      year: 1,
      disciplines: [
        { discipline: 'ANATOMY', hours: -1 },
        { discipline: 'ANATOMY', hours: 2 },
      ],
    };
    expect(fieldsOf(() => parseInput(addModuleSchema, input))).toEqual(['disciplines.0.hours', 'disciplines.1.discipline']);
  });

  it('accepts zero hours (reported by the map instead) and drops repeated prerequisite ids', () => {
    const parsed = parseInput(addModuleSchema, {
      programId: id,
      code: 'c-1',
      title: 'Cardio',
      year: 2,
      disciplines: [{ discipline: 'ANATOMY', hours: 0 }],
      prerequisiteModuleIds: [id, id],
    });
    expect(parsed.prerequisiteModuleIds).toEqual([id]);
    expect(parsed.organSystem).toBeNull();
  });

  it('refuses a session of zero minutes and a malformed start', () => {
    expect(
      fieldsOf(() =>
        parseInput(addSessionSchema, {
          moduleId: id,
          title: 'ECG',
          method: 'LECTURE',
          delivery: 'ONLINE',
          durationMinutes: 0,
          startsAt: 'monday',
        }),
      ).sort(),
    ).toEqual(['durationMinutes', 'startsAt']);
  });

  it('requires a specialty for SPECIALTY tracks only', () => {
    expect(fieldsOf(() => parseInput(createTrackSchema, { programId: id, kind: 'SPECIALTY', title: 'Surgery' }))).toEqual(['specialty']);
    expect(
      fieldsOf(() => parseInput(createTrackSchema, { programId: id, kind: 'RESEARCH', title: 'Research', specialty: 'SURGERY' })),
    ).toEqual(['specialty']);
  });

  it('checks a framework hierarchy: unique codes, known parents, no cycles', () => {
    const c = (code: string, parentCode?: string) => ({
      code,
      title: `T ${code}`,
      domain: 'TECHNICAL',
      category: 'patient care',
      parentCode,
    });
    expect(
      fieldsOf(() =>
        parseInput(createFrameworkSchema, { name: 'Framework', version: '1', competencies: [c('A'), c('B', 'A'), c('C', 'D'), c('b')] }),
      ),
    ).toEqual(['competencies.3.code', 'competencies.2.parentCode']);
    const parsed = parseInput(createFrameworkSchema, { name: 'Framework', version: '1', competencies: [c('A.1', 'A'), c('A')] });
    expect(parsed.competencies).toHaveLength(2);
  });
});
