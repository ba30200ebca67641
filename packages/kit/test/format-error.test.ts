import { GraphQLError } from 'graphql';
import pino from 'pino';
import { createFormatError } from '../src/format-error';
import { ConflictError } from '../src/errors';

const formatError = createFormatError(pino({ level: 'silent' }));

describe('subgraph formatError', () => {
  it('maps an AppError to its code and details', () => {
    const error = new GraphQLError('x', { originalError: new ConflictError('Email already registered', { field: 'email' }) });
    expect(formatError({ message: 'x' }, error)).toEqual({
      message: 'Email already registered',
      locations: undefined,
      path: undefined,
      extensions: { code: 'CONFLICT', field: 'email' },
    });
  });

  it('masks unexpected errors and drops stack traces', () => {
    const error = new GraphQLError('boom', { originalError: new Error('relation "secret_table" does not exist') });
    const formatted = formatError({ message: 'relation "secret_table" does not exist', extensions: { stacktrace: ['at x'] } }, error);
    expect(formatted).toEqual({ message: 'Internal server error', path: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('keeps request errors such as validation failures', () => {
    const formatted = formatError(
      { message: 'Cannot query field "x"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: [] } },
      new GraphQLError('v'),
    );
    expect(formatted.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});
