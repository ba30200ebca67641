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
});

describe('clientOperationName', () => {
  it("strips the gateway's fetch suffix", () => {
    expect(clientOperationName('StudentProgress__assessment__3')).toBe('StudentProgress');
    expect(clientOperationName('Plain')).toBe('Plain');
    expect(clientOperationName(null)).toBeNull();
  });
});
