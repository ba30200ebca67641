export * from './database';
export * from './services';
export * from './sql-counter';
export * from './supergraph';
export * from './tokens';
export * from './subgraph';
export * from './pipeline';
export * from './sdl';
