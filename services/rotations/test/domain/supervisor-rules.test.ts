import { maySupervise, supervisorProblem } from '../../src/domain/supervisor-rules';

describe('who may supervise', () => {
  const where = { hospitalId: 'H', departmentId: 'd1' };
  const ci = { id: 'ci', institutionId: 'H', departmentId: 'd1', roles: ['CLINICAL_INSTRUCTOR'], active: true };

  it('takes an active clinical instructor of the department', () => {
    expect(supervisorProblem(ci, where)).toBeNull();
    expect(supervisorProblem({ ...ci, roles: ['TEACHER', 'CLINICAL_INSTRUCTOR'] }, where)).toBeNull();
  });

  it('refuses someone unknown, of another department or hospital, without the role, or no longer active', () => {
    expect(supervisorProblem(null, where)).toBe('UNKNOWN');
    expect(supervisorProblem({ ...ci, departmentId: 'd2' }, where)).toBe('NOT_AN_INSTRUCTOR_THERE');
    expect(supervisorProblem({ ...ci, departmentId: null }, where)).toBe('NOT_AN_INSTRUCTOR_THERE');
    expect(supervisorProblem({ ...ci, institutionId: 'K' }, where)).toBe('NOT_AN_INSTRUCTOR_THERE');
    expect(supervisorProblem({ ...ci, roles: ['COORDINATOR'] }, where)).toBe('NOT_AN_INSTRUCTOR_THERE');
    expect(supervisorProblem({ ...ci, active: false }, where)).toBe('INACTIVE');
  });

  it('names supervisors of confirmed and running placements only', () => {
    expect(['PROPOSED', 'CONFIRMED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'].filter((s) => maySupervise(s as never))).toEqual([
      'CONFIRMED',
      'IN_PROGRESS',
    ]);
  });
});
