export * from './common';
export * from './enrollments';
export * from './frameworks';
export * from './programs';
