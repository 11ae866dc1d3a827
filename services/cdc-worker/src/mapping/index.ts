export * from './captured-change';
export * from './column-values';
export * from './change-envelope.mapping';
export * from './order-event.mapping';
export * from './transaction.mapping';
