export * from './suppression';
export * from './system';
