/**
 * The demo world every service's seed agrees on: the institutions, departments, people and
 * agreements of the demo network, with deterministic ids. Pure data; each service writes its
 * own part through its own rules (the network's seed creates the records; the others read
 * the same facts to seed theirs).
 */
export * from './catalog';
export * from './ids';
export * from './people';
export * from './summary';
export * from './competency-library';
export * from './curriculum';
export * from './network-facts';
export * from './seed-ids';
export * from './mentoring';
export * from './rotations';
