import { ConfigError } from '@medcollab/kit';
import { describeStartupError } from '../src/startup-error';

describe('start-up failures', () => {
  it('passes configuration errors through', () => {
    expect(describeStartupError(new ConfigError('Invalid configuration:\n  - PORT: bad'))).toContain('PORT: bad');
  });
  it('says how to start PostgreSQL when it is unreachable', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
      address: '127.0.0.1',
      port: 5432,
    });
    const message = describeStartupError(error);
    expect(message).toContain('PostgreSQL is not reachable at 127.0.0.1:5432');
    expect(message).toContain('pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start');
  });
  it('names anything else', () => {
    expect(describeStartupError(new Error('boom'))).toBe('network subgraph failed to start: boom');
  });
});
