/** What the Platform page shows for each component's `detail` (the health payloads from contracts). */
import {
  ApiHealthSchema,
  CdcHealthSchema,
  ProcessorHealthSchema,
  type PlatformStatus,
} from '@kartshoppe/contracts';

export type ComponentRow = PlatformStatus['components'][number];

export interface Fact {
  label: string;
  value: string;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** Key facts per component; unknown detail shapes fall back to their scalar fields. */
export function componentFacts(row: ComponentRow): {
  facts: Fact[];
  lag?: Array<{ partition: number; lag: string; restoring: boolean }>;
} {
  if (row.name === 'checkout-api') {
    const a = ApiHealthSchema.safeParse(row.detail);
    if (a.success) {
      const h = a.data;
      return {
        facts: [
          {
            label: 'Products in read model',
            value: `${h.readModel.products}${h.readModel.warm ? '' : ' (warming up)'}`,
          },
          { label: 'Orders waiting for Kafka', value: String(h.unpublishedOrders) },
          ...h.dependencies.map((d) => ({
            label: d.name,
            value: d.detail ? `${d.status} · ${d.detail}` : d.status,
          })),
        ],
      };
    }
  }
  if (row.name === 'inventory-processor') {
    const p = ProcessorHealthSchema.safeParse(row.detail);
    if (p.success) {
      const h = p.data;
      return {
        facts: [
          { label: 'Phase', value: h.phase },
          { label: 'Instance', value: h.instanceId },
          { label: 'State size', value: formatBytes(h.stateSizeBytes) },
          { label: 'Products in state', value: String(h.partitions.reduce((n, x) => n + x.products, 0)) },
          { label: 'Timers pending', value: String(h.timersPending) },
          { label: 'Dead letters', value: String(h.deadLetters) },
        ],
        lag: h.partitions.map((x) => ({ partition: x.partition, lag: x.lag, restoring: x.restoring })),
      };
    }
  }
  if (row.name === 'cdc-worker') {
    const c = CdcHealthSchema.safeParse(row.detail);
    if (c.success) {
      const h = c.data;
      return {
        facts: [
          { label: 'Slot', value: h.slotName },
          { label: 'Connected', value: h.connected ? 'yes' : 'no' },
          { label: 'Slot lag', value: h.slotLagBytes === null ? 'unknown' : formatBytes(h.slotLagBytes) },
          { label: 'Last acked LSN', value: h.lastAckedLsn ?? '—' },
          { label: 'Events published', value: String(h.eventsPublished) },
        ],
      };
    }
  }
  return { facts: scalarFacts(row.detail) };
}

function scalarFacts(detail: unknown): Fact[] {
  if (detail === undefined || detail === null) return [];
  if (typeof detail !== 'object') return [{ label: 'Detail', value: String(detail) }];
  const facts: Fact[] = [];
  for (const [k, v] of Object.entries(detail as Record<string, unknown>)) {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v))
      facts.push({ label: k, value: String(v) });
    else if (Array.isArray(v)) facts.push({ label: k, value: `${v.length} entries` });
  }
  return facts.slice(0, 12);
}
