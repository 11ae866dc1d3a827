export * from './inventory-state';
export * from './alerts.rules';
export * from './product-update.rules';
export * from './order-deduction.rules';
export * from './stale-timer.rules';
