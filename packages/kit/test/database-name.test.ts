import { serviceDatabaseName } from '../src/db';

describe('serviceDatabaseName', () => {
  const saved = process.env.DATABASE_PREFIX;
  afterEach(() => {
    if (saved === undefined) delete process.env.DATABASE_PREFIX;
    else process.env.DATABASE_PREFIX = saved;
  });

  it('names each service database medcollab_<service> by default', () => {
    delete process.env.DATABASE_PREFIX;
    expect(serviceDatabaseName('rotations')).toBe('medcollab_rotations');
  });

  it('puts a second world beside the first with DATABASE_PREFIX', () => {
    process.env.DATABASE_PREFIX = 'mcbench_ops';
    expect(serviceDatabaseName('rotations')).toBe('mcbench_ops_rotations');
    expect(serviceDatabaseName('network', 'medcollab_large')).toBe('medcollab_large_network');
  });

  it('refuses a prefix that is not a plain identifier', () => {
    expect(() => serviceDatabaseName('network', 'x"; DROP')).toThrow(/DATABASE_PREFIX/);
  });
});
