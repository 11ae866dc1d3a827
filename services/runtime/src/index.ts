export * from './config';
export * from './logger';
export * from './kafka';
export * from './read-committed';
export * from './dead-letters';
export * from './errors';
export * from './shutdown';
export * from './metrics';
