export * from './entities';
export * from './handlers';
export * from './migrations';
export * from './rebuild';
