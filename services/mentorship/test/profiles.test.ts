import { type SubgraphHarness } from '@medcollab/testing';
import { codes, ok, startMentorship } from './support/harness';
import { M, networkAdmin, staffActor, World } from './support/world';

let h: SubgraphHarness;
let w: World;

beforeAll(async () => {
  h = await startMentorship();
  w = await new World(h).setup();
});
afterAll(() => h.stop());

describe('upsertMentorProfile', () => {
  it('lets a MENTOR write their own profile, and change it later', async () => {
    const mentor = await w.staff(w.hospitalH, ['CLINICAL_INSTRUCTOR', 'MENTOR']);
    const input = {
      staffId: mentor.id,
      capacity: 2,
      formats: ['ONE_ON_ONE'],
      specialties: ['ICU', 'ICU'],
      researchAreas: ['Sepsis'],
      researchActive: true,
      hoursPerMonth: 6,
      bio: 'ICU consultant',
    };
    const created = ok(await h.call(mentor.actor, M.upsertMentorProfile, { input })).upsertMentorProfile;
    expect(created).toMatchObject({
      capacity: 2,
      menteeCount: 0,
      capacityLeft: 2,
      specialties: ['ICU'],
      researchAreas: ['Sepsis'],
      researchActive: true,
      acceptingMentees: true,
      hoursPerMonth: 6,
      mentor: { id: mentor.id },
      institution: { id: w.hospitalH },
    });
    const changed = ok(
      await h.call(mentor.actor, M.upsertMentorProfile, { input: { ...input, capacity: 4, acceptingMentees: false, bio: null } }),
    ).upsertMentorProfile;
    expect(changed).toMatchObject({ id: created.id, capacity: 4, acceptingMentees: false, bio: null });
  });

  it("lets the mentor's institution coordinator edit it, refuses another institution and another role", async () => {
    const mentor = await w.staff(w.schoolA, ['TEACHER', 'MENTOR']);
    const input = { staffId: mentor.id, capacity: 3, formats: ['SMALL_GROUP'] };
    expect(ok(await h.call(staffActor(w.schoolA, 'COORDINATOR'), M.upsertMentorProfile, { input })).upsertMentorProfile.capacity).toBe(3);
    expect(codes(await h.call(staffActor(w.schoolB, 'COORDINATOR'), M.upsertMentorProfile, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffActor(w.schoolA, 'TEACHER'), M.upsertMentorProfile, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffActor(w.schoolA, 'TEACHER', 'MENTOR'), M.upsertMentorProfile, { input }))).toEqual(['FORBIDDEN']);
    const student = await w.student();
    expect(codes(await h.call(student.actor, M.upsertMentorProfile, { input }))).toEqual(['FORBIDDEN']);
  });

  it('refuses staff without the MENTOR role, unknown staff and bad input with clear errors', async () => {
    const teacher = await w.staff(w.schoolA, ['TEACHER']);
    const refused = await h.call(networkAdmin(), M.upsertMentorProfile, {
      input: { staffId: teacher.id, capacity: 2, formats: ['ONE_ON_ONE'] },
    });
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0]?.message).toMatch(/MENTOR role/);
    const unknown = await h.call(networkAdmin(), M.upsertMentorProfile, {
      input: { staffId: '5f0c9f34-4f7a-4f8e-9d3e-7b1c2a3d4e5f', capacity: 2, formats: ['ONE_ON_ONE'] },
    });
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    const bad = await h.call(networkAdmin(), M.upsertMentorProfile, { input: { staffId: teacher.id, capacity: 99, formats: [] } });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors?.[0]?.extensions?.fields).toEqual([
      { path: 'capacity', message: 'must be at most 30' },
      { path: 'formats', message: 'offer at least one format' },
    ]);
  });

  it('never lowers capacity below the mentees the mentor has', async () => {
    const mentor = await w.mentor(w.schoolA, { capacity: 3 });
    await w.mentorship(mentor.id, [(await w.student()).id]);
    await w.mentorship(mentor.id, [(await w.student()).id]);
    const lower = await h.call(mentor.actor, M.upsertMentorProfile, {
      input: { staffId: mentor.id, capacity: 1, formats: ['ONE_ON_ONE'] },
    });
    expect(codes(lower)).toEqual(['CONFLICT']);
    expect(lower.errors?.[0]?.extensions?.menteeCount).toBe(2);
  });
});

describe('mentorSuggestions', () => {
  it('ranks eligible mentors for a research-track student with reasons, and leaves out the rest', async () => {
    const student = await w.student(w.schoolA, { priorClinicalYears: 2 });
    await w.enroll(student.id, 'RESEARCH');
    ok(
      await h.call(student.actor, M.setMenteePreferences, {
        input: { studentId: student.id, researchInterests: ['sepsis'], specialtyInterests: ['ICU'] },
      }),
    );
    const best = await w.mentor(w.hospitalH, { researchActive: true, researchAreas: ['Sepsis'], specialties: ['ICU'] }, [
      'CLINICAL_INSTRUCTOR',
      'MENTOR',
    ]);
    const good = await w.mentor(w.schoolA, { researchActive: true });
    const notResearch = await w.mentor(w.schoolA, { researchActive: false });
    const endedPartner = await w.mentor(w.hospitalK, { researchActive: true });
    const otherSchool = await w.mentor(w.schoolB, { researchActive: true });

    const result = ok(await h.call(student.actor, M.suggestions, { studentId: student.id, first: 50 })).mentorSuggestions;
    const ids = result.map((s: { mentor: { id: string } }) => s.mentor.id);
    expect(ids.indexOf(best.id)).toBeLessThan(ids.indexOf(good.id));
    expect(ids).toContain(good.id);
    for (const excluded of [notResearch, endedPartner, otherSchool]) expect(ids).not.toContain(excluded.id);
    const top = result.find((s: { mentor: { id: string } }) => s.mentor.id === best.id);
    expect(top.reasons.map((r: { code: string }) => r.code)).toEqual([
      'RESEARCH_ACTIVE',
      'RESEARCH_AREA_MATCH',
      'SPECIALTY_MATCH',
      'PARTNER_HOSPITAL',
      'CAPACITY_LEFT',
    ]);
    expect(top.score).toBe(top.reasons.reduce((sum: number, r: { points: number }) => sum + r.points, 0));
    expect(top.profile).toEqual({ id: best.profileId, capacityLeft: 3 });
  });

  it('sends clinical novices to clinical instructors only', async () => {
    const student = await w.student(w.schoolA, { priorClinicalYears: 0 });
    await w.enroll(student.id, 'CLINICAL_PRACTICE');
    const instructor = await w.mentor(w.hospitalH, {}, ['CLINICAL_INSTRUCTOR', 'MENTOR']);
    const teacher = await w.mentor(w.schoolA, {}, ['TEACHER', 'MENTOR']);
    const ids = ok(
      await h.call(staffActor(w.schoolA, 'COORDINATOR'), M.suggestions, { studentId: student.id, first: 50 }),
    ).mentorSuggestions.map((s: { mentor: { id: string } }) => s.mentor.id);
    expect(ids).toContain(instructor.id);
    expect(ids).not.toContain(teacher.id);
  });

  it("is for the student and their school's coordinators only", async () => {
    const student = await w.student();
    const other = await w.student();
    expect(codes(await h.call(other.actor, M.suggestions, { studentId: student.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffActor(w.schoolB, 'COORDINATOR'), M.suggestions, { studentId: student.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffActor(w.schoolA, 'TEACHER'), M.suggestions, { studentId: student.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(student.actor, M.suggestions, { studentId: student.id, first: 0 }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('setMenteePreferences', () => {
  it("is set by the student or their school's coordinator, refused to others", async () => {
    const student = await w.student();
    const input = { studentId: student.id, specialtyInterests: ['SURGERY'], preferredFormat: 'SMALL_GROUP' };
    expect(ok(await h.call(student.actor, M.setMenteePreferences, { input })).setMenteePreferences).toEqual({
      specialtyInterests: ['SURGERY'],
      researchInterests: [],
      preferredFormat: 'SMALL_GROUP',
    });
    expect(
      ok(await h.call(staffActor(w.schoolA, 'COORDINATOR'), M.setMenteePreferences, { input })).setMenteePreferences.preferredFormat,
    ).toBe('SMALL_GROUP');
    expect(codes(await h.call(staffActor(w.schoolB, 'COORDINATOR'), M.setMenteePreferences, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffActor(w.schoolA, 'TEACHER'), M.setMenteePreferences, { input }))).toEqual(['FORBIDDEN']);
  });
});
