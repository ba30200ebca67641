import { BoundedLabel, clientOperationName, OTHER } from '../src';

describe('BoundedLabel', () => {
  it('keeps the first values, then answers "other"', () => {
    const label = new BoundedLabel(2);
    expect([label.of('A'), label.of('B'), label.of('C'), label.of('A')]).toEqual(['A', 'B', OTHER, 'A']);
  });

  it('refuses values that are not identifiers, and names absent ones', () => {
    const label = new BoundedLabel(10);
    expect(label.of('drop table; --')).toBe(OTHER);
    expect(label.of('x'.repeat(65))).toBe(OTHER);
    expect(label.of(undefined)).toBe('anonymous');
    expect(label.of('', 'none')).toBe('none');
  });

  it('refuses names with an id inside (a UUID in any spelling, five digits or more), and keeps ordinary ones', () => {
    const label = new BoundedLabel(10);
    for (const name of [
      'Student_7f1c2a9e_3b4d_4c5e_8f60_718293a4b5c6',
      'Student7f1c2a9e3b4d4c5e8f60718293a4b5c6',
      'S7F1C2A9E_3B4D_4C5E',
      'Report20250101',
      'Page12345',
    ]) {
      expect(label.of(name)).toBe(OTHER);
    }
    expect(['StudentProgress', 'Page2', 'Top1000', 'Deadline'].map((n) => label.of(n))).toEqual([
      'StudentProgress',
      'Page2',
      'Top1000',
      'Deadline',
    ]);
  });
});

describe('clientOperationName', () => {
  it("strips the gateway's fetch suffix", () => {
    expect(clientOperationName('StudentProgress__assessment__3')).toBe('StudentProgress');
    expect(clientOperationName('Plain')).toBe('Plain');
    expect(clientOperationName(null)).toBeNull();
  });
});
