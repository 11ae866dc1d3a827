import { Registry, collectDefaultMetrics } from 'prom-client';

/** One Prometheus registry per service, with process metrics and the component as a label. */
export function createMetricsRegistry(component: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ component });
  collectDefaultMetrics({ register: registry });
  return registry;
}
