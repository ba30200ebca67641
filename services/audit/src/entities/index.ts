/**
 * The audit database is written and read with plain SQL (src/data): the chain's hashing needs
 * exact control of every column, so there are no entity classes.
 */
export const entities = [];
