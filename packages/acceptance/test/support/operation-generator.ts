import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

/** A deterministic source of choices, so a failing case can be replayed from its seed. */
export class Choices {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** mulberry32: tiny, fast and good enough to spread choices; not for anything secret. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
}

/** Values an outsider would try: ordinary ones, wrong ones and hostile ones, per input type. */
export interface ValuePools {
  ids: readonly string[];
}

const NASTY_STRINGS = [
  '',
  ' ',
  'x'.repeat(5_000),
  "'; DROP TABLE student; --",
  '1 OR 1=1',
  '<script>alert(1)</script>',
  '\u0000nul',
  '{{7*7}}',
  '../../etc/passwd',
  'http://169.254.169.254/latest/meta-data',
  'Ada Lovelace',
  '病历',
  '%s%n%x',
];
const DATES = ['2026-02-30', 'yesterday', '', '2027-01-15', '2026-09-01', '99999-01-01', '0000-00-00', '2027-1-5'];
const DATE_TIMES = ['2026-13-01T00:00:00Z', 'now', '', '2027-01-15T09:00:00Z', '2027-01-15T09:00:00+08:00', '2027-01-15'];
const INTS = [0, -1, 1, 3, 50, 200, 10_000, 2_147_483_647, -2_147_483_648];
const FLOATS = [0, 1.5, -3.25, 1e308, -1e-9, 4];

/** A value for an input type; sometimes the wrong kind on purpose (the gateway must say so, not fail). */
export function inputValue(type: GraphQLInputType, c: Choices, pools: ValuePools, depth = 0): unknown {
  if (c.chance(0.04)) return c.pick([null, 'wrong', 7, true, { unexpected: 1 }, []]);
  if (isNonNullType(type)) return inputValue(type.ofType, c, pools, depth);
  if (isListType(type)) {
    if (depth > 3) return [];
    return Array.from({ length: c.int(4) }, () => inputValue(type.ofType, c, pools, depth + 1));
  }
  if (isEnumType(type)) return c.chance(0.9) ? c.pick(type.getValues()).name : 'NOT_A_VALUE';
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      const required = isNonNullType(field.type);
      if (!required && c.chance(0.5)) continue;
      if (required && c.chance(0.03)) continue;
      out[field.name] = depth > 4 ? null : inputValue(field.type, c, pools, depth + 1);
    }
    if (c.chance(0.03)) out.notAField = 'surprise';
    return out;
  }
  if (isScalarType(type)) return scalarValue(type.name, c, pools);
  return null;
}

function scalarValue(name: string, c: Choices, pools: ValuePools): unknown {
  switch (name) {
    case 'ID':
      return c.chance(0.7) ? c.pick(pools.ids) : c.pick(['not-an-id', '', '00000000-0000-0000-0000-000000000000', "1' OR '1'='1"]);
    case 'Int':
      return c.chance(0.95) ? c.pick(INTS) : 2 ** 40;
    case 'Float':
      return c.pick(FLOATS);
    case 'Boolean':
      return c.chance(0.5);
    case 'Date':
      return c.pick(DATES);
    case 'DateTime':
      return c.pick(DATE_TIMES);
    default:
      return c.pick(NASTY_STRINGS);
  }
}

/** A GraphQL literal of a value (for arguments of nested fields). */
function literal(value: unknown, type: GraphQLInputType): string {
  const named = getNamedType(type);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => literal(v, isListType(getNullableType(type)) ? (getNullableType(type) as { ofType: GraphQLInputType }).ofType : type)).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = isInputObjectType(named) ? named.getFields() : {};
    return `{ ${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${literal(v, fields[k]?.type ?? named)}`)
      .join(', ')} }`;
  }
  if (isEnumType(named) && typeof value === 'string' && /^[A-Z_][A-Z0-9_]*$/.test(value)) return value;
  return JSON.stringify(value);
}

function argumentsText(args: readonly GraphQLArgument[], c: Choices, pools: ValuePools): string {
  const chosen = args.filter((a) => isNonNullType(a.type) || c.chance(0.4));
  if (chosen.length === 0) return '';
  return `(${chosen.map((a) => `${a.name}: ${literal(inputValue(a.type, c, pools, 1), a.type)}`).join(', ')})`;
}

/** A selection set for an output type, a few fields deep. */
function selection(type: GraphQLOutputType, c: Choices, pools: ValuePools, depth: number): string {
  const named: GraphQLNamedType = getNamedType(type);
  if (isUnionType(named) || isInterfaceType(named)) {
    const possible = isUnionType(named) ? named.getTypes() : [];
    const fragment = possible.length > 0 ? ` ... on ${c.pick(possible).name} ${selection(c.pick(possible), c, pools, depth)}` : '';
    return `{ __typename${fragment} }`;
  }
  if (!isObjectType(named)) return '';
  const fields = Object.values(named.getFields()) as GraphQLField<unknown, unknown>[];
  const leaves = fields.filter(
    (f) => !isObjectType(getNamedType(f.type)) && !isUnionType(getNamedType(f.type)) && !isInterfaceType(getNamedType(f.type)),
  );
  const branches = fields.filter((f) => !leaves.includes(f));
  const picked = new Set<GraphQLField<unknown, unknown>>();
  for (let i = 0; i < 1 + c.int(4) && leaves.length > 0; i++) picked.add(c.pick(leaves));
  if (depth < 3) for (let i = 0; i < c.int(3) && branches.length > 0; i++) picked.add(c.pick(branches));
  if (picked.size === 0) return '{ __typename }';
  const parts = [...picked].map((f) => `${f.name}${argumentsText(f.args, c, pools)} ${selection(f.type, c, pools, depth + 1)}`.trim());
  return `{ ${parts.join(' ')} }`;
}

export interface GeneratedRequest {
  body: Record<string, unknown> | string;
  description: string;
}

/**
 * One request an outsider might send: a root field of the supergraph with variables for its
 * arguments and a selection a few levels deep, or (now and then) a broken request.
 */
export function generateRequest(schema: GraphQLSchema, c: Choices, pools: ValuePools): GeneratedRequest {
  const roll = c.next();
  if (roll < 0.03) return { body: { query: '{ __typename } { __typename }' }, description: 'two anonymous operations' };
  if (roll < 0.06) return { body: { query: 'query A { __typename }', operationName: 'Missing' }, description: 'unknown operationName' };
  if (roll < 0.08) return { body: '{"query": "{ __typename ', description: 'truncated JSON' };
  if (roll < 0.1) return { body: { query: '{ __typename }', variables: 'not an object' }, description: 'variables not an object' };
  const root = c.chance(0.75) ? schema.getQueryType()! : (schema.getMutationType() ?? schema.getQueryType()!);
  const fields = Object.values(root.getFields()).filter((f) => !f.name.startsWith('_'));
  const field = c.pick(fields);
  const declared = field.args.filter((a) => isNonNullType(a.type) || c.chance(0.6));
  const variables: Record<string, unknown> = {};
  for (const a of declared) variables[a.name] = inputValue(a.type, c, pools);
  const header = declared.length ? `(${declared.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})` : '';
  const call = declared.length ? `(${declared.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  const keyword = root === schema.getMutationType() ? 'mutation' : 'query';
  let query = `${keyword} Fuzz${header} { ${field.name}${call} ${selection(field.type, c, pools, 1)} }`;
  if (c.chance(0.05)) query = query.slice(0, c.int(query.length));
  return { body: { query, variables, operationName: 'Fuzz' }, description: `${keyword} ${field.name}` };
}
