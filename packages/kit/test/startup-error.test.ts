import { ConfigError } from '../src/config';
import { describeStartupError } from '../src/startup-error';

describe('start-up failures', () => {
  it('passes configuration errors through, naming the process', () => {
    const message = describeStartupError('quality worker', new ConfigError('Invalid configuration:\n  - PORT: bad'));
    expect(message).toMatch(/^quality worker cannot start: /);
    expect(message).toContain('PORT: bad');
  });
  it('says how to start PostgreSQL when it is unreachable', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
      address: '127.0.0.1',
      port: 5432,
    });
    const message = describeStartupError('network subgraph', error);
    expect(message).toContain('PostgreSQL is not reachable at 127.0.0.1:5432');
    expect(message).toContain('pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start');
  });
  it('says how to start Redis when Redis is the one unreachable', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), {
      code: 'ECONNREFUSED',
      address: '127.0.0.1',
      port: 6379,
    });
    const message = describeStartupError('network worker', error);
    expect(message).toContain('Redis is not reachable at 127.0.0.1:6379');
    expect(message).not.toContain('PostgreSQL');
  });
  it('names a port already taken', () => {
    const error = Object.assign(new Error('listen EADDRINUSE :::4001'), { code: 'EADDRINUSE' });
    expect(describeStartupError('network subgraph', error)).toContain('set PORT to a free one');
  });
  it('names anything else', () => {
    expect(describeStartupError('network subgraph', new Error('boom'))).toBe('network subgraph cannot start: boom');
  });
});
