import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import { HealthService } from './health.service';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when up or degraded (Kafka down: orders still accepted), 503 while starting or postgres is down. */
  @Get('health')
  async get(@Res({ passthrough: true }) reply: FastifyReply) {
    const h = await this.health.health();
    if (h.status === 'down' || h.status === 'starting') void reply.status(503);
    return h;
  }

  @Get('api/platform/status')
  platform() {
    return this.health.platform();
  }
}

@Controller()
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  metrics() {
    return this.registry.metrics();
  }
}
