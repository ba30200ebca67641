/**
 * A network of real size for benchmarks and `pnpm seed --scale large` (issue 16): the
 * deterministic generator, the bulk writer each service's loader uses, and the parity check
 * that compares every projection with its owner's rows.
 */
export * from './bulk';
export * from './load';
export * from './network-facts';
export * from './parity';
export * from './random';
export * from './scales';
export * from './shadow-tables';
export * from './snapshot';
export * from './world';
