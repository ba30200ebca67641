export * from './contract';
export * from './contracts';
export * from './migration-sql';
export * from './outbox';
export * from './routes';
