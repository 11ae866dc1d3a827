import { Injectable } from '@nestjs/common';
import type { ApiHealth, ComponentStatus, PlatformStatus } from '@kartshoppe/contracts';
import { ReadModel } from '../catalog/read-model';
import { Clock } from '../common/clock';
import { Database } from '../db/database';
import { KafkaConnections } from '../kafka/kafka-connections';
import { OrdersRepository } from '../orders/orders.repository';

/** Health names the failing dependency; the read model is "starting" until it caught up (F-RM-3). */
@Injectable()
export class HealthService {
  constructor(
    private readonly db: Database,
    private readonly kafka: KafkaConnections,
    private readonly readModel: ReadModel,
    private readonly orders: OrdersRepository,
    private readonly clock: Clock,
    private readonly urls: { processor: string; cdc: string },
  ) {}

  async health(): Promise<ApiHealth> {
    const pg = await this.db.ping();
    const unpublished = pg ? await this.orders.countUnpublished().catch(() => 0) : 0;
    const dependencies = [
      { name: 'postgres', status: (pg ? 'up' : 'down') as ComponentStatus },
      { name: 'kafka', status: (this.kafka.ready ? 'up' : 'down') as ComponentStatus },
      {
        name: 'read-model',
        status: (this.readModel.warm ? 'up' : 'starting') as ComponentStatus,
        detail: `${this.readModel.size()} products`,
      },
    ];
    const status: ComponentStatus = !pg
      ? 'down'
      : !this.readModel.warm
        ? 'starting'
        : this.kafka.ready
          ? 'up'
          : 'degraded';
    return {
      component: 'checkout-api',
      status,
      dependencies,
      readModel: { products: this.readModel.size(), warm: this.readModel.warm },
      unpublishedOrders: unpublished,
    };
  }

  async platform(): Promise<PlatformStatus> {
    const api = await this.health();
    const probe = async (url: string) => {
      try {
        const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1500) });
        const detail = (await res.json()) as { status?: ComponentStatus };
        return { status: detail.status ?? (res.ok ? 'up' : 'down'), detail };
      } catch {
        return { status: 'down' as ComponentStatus, detail: undefined };
      }
    };
    const [processor, cdc] = await Promise.all([probe(this.urls.processor), probe(this.urls.cdc)]);
    const dep = (n: string) => api.dependencies.find((d) => d.name === n)!.status;
    return {
      timestamp: this.clock.nowMs(),
      components: [
        { name: 'checkout-api', status: api.status, detail: api },
        {
          name: 'inventory-processor',
          status: processor.status,
          url: this.urls.processor,
          detail: processor.detail,
        },
        { name: 'cdc-worker', status: cdc.status, url: this.urls.cdc, detail: cdc.detail },
        { name: 'kafka', status: dep('kafka') },
        { name: 'postgres', status: dep('postgres') },
      ],
    };
  }
}
