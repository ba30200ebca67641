import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { DASHBOARD_OPERATIONS } from '../src';

/**
 * Every document is one named query whose name is the operation's `operationName`, and each
 * variables builder gives exactly the variables the document declares: what the bench, the
 * plan test and the scale tests send is a well-formed request.
 */
const subject = {
  blockId: 'b',
  first: 10,
  studentId: 's',
  postProfileId: 'p',
  departmentId: 'd',
  academicYear: '2026-2027',
  hospitalId: 'h',
};

describe.each(DASHBOARD_OPERATIONS.map((op) => [op.key, op] as const))('%s', (_key, op) => {
  const definitions = parse(op.query).definitions;
  const operation = definitions[0] as OperationDefinitionNode;

  it('is one query named as the operation says', () => {
    expect(definitions).toHaveLength(1);
    expect(operation.kind).toBe(Kind.OPERATION_DEFINITION);
    expect(operation.operation).toBe('query');
    expect(operation.name?.value).toBe(op.operationName);
  });

  it('gets exactly the variables its document declares from its builder', () => {
    const declared = (operation.variableDefinitions ?? []).map((v) => v.variable.name.value).sort();
    expect(Object.keys(op.variables(subject)).sort()).toEqual(declared);
    expect(Object.values(op.variables(subject))).not.toContain(undefined);
  });
});

test('operation keys and names are unique', () => {
  expect(new Set(DASHBOARD_OPERATIONS.map((o) => o.key)).size).toBe(DASHBOARD_OPERATIONS.length);
  expect(new Set(DASHBOARD_OPERATIONS.map((o) => o.operationName)).size).toBe(DASHBOARD_OPERATIONS.length);
});
