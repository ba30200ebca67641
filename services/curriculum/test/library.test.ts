import { seedCompetencyLibrary } from '../src/seed/library';
import { networkAdmin } from './support/actors';
import { rowCounts } from './support/db';
import { type CurriculumHarness, ok, startCurriculum } from './support/harness';

let h: CurriculumHarness;
beforeAll(async () => {
  h = await startCurriculum();
});
afterAll(() => h.stop());

const FRAMEWORKS = `{ competencyFrameworks { id name version owner { id } roots { code domain children { code domain category } } competencies { id } } }`;

interface Node {
  code: string;
  domain: string;
  category?: string;
  children?: Node[];
}

describe('the competency library seed', () => {
  it('creates CanMEDS roles, the 13 Core EPAs and NOTSS as network frameworks, once', async () => {
    const first = await seedCompetencyLibrary(h.dataSource);
    const counts = await rowCounts(h.dataSource);
    const second = await seedCompetencyLibrary(h.dataSource);
    expect(second).toEqual(first);
    expect(await rowCounts(h.dataSource)).toEqual(counts);

    const { competencyFrameworks } = ok(await h.call(networkAdmin(), FRAMEWORKS));
    const byName = (prefix: string) => competencyFrameworks.find((f: { name: string }) => f.name.startsWith(prefix));
    const canmeds = byName('CanMEDS');
    expect(canmeds.owner).toBeNull();
    expect(canmeds.roots.map((r: Node) => r.code)).toEqual(['ME', 'CM', 'CL', 'LD', 'HA', 'SC', 'PR']);
    for (const role of canmeds.roots) expect(role.children.length).toBeGreaterThanOrEqual(2);

    const epas = byName('AAMC Core EPAs');
    expect(epas.roots.map((r: Node) => r.code)).toEqual(Array.from({ length: 13 }, (_, i) => `EPA ${i + 1}`));

    const notss = byName('NOTSS');
    expect(notss.roots.map((r: Node) => r.code)).toEqual(['SA', 'DM', 'CT', 'L']);
    expect(notss.competencies).toHaveLength(16);
    for (const category of notss.roots as Node[]) {
      expect(category.domain).toBe('NON_TECHNICAL');
      expect(category.children?.map((c) => c.domain)).toEqual(['NON_TECHNICAL', 'NON_TECHNICAL', 'NON_TECHNICAL']);
    }
    expect(notss.roots[0].children.map((c: Node) => c.category)).toEqual([
      'situation awareness',
      'situation awareness',
      'situation awareness',
    ]);

    // Stable ids: the returned map names what the database holds.
    expect(first['notss']?.id).toBe(notss.id);
    expect(Object.values(first['aamc-core-epas']?.competencyIds ?? {}).sort()).toEqual(
      epas.competencies.map((c: { id: string }) => c.id).sort(),
    );
  });
});
