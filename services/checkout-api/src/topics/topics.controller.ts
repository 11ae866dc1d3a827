import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ProduceRequestSchema, TopicReadQuerySchema } from '@kartshoppe/contracts';
import { z } from 'zod';
import { ForbiddenError, parseRequest } from '../common/http-errors';
import { TopicsService } from './topics.service';

const TopicParam = z
  .object({
    topic: z
      .string()
      .min(1)
      .max(249)
      .regex(/^[A-Za-z0-9._-]+$/, 'not a valid topic name'),
  })
  .strict();

export class ProduceGuardPolicy {
  constructor(
    readonly mode: 'local' | 'remote',
    readonly adminToken: string | undefined,
  ) {}
  /** Producing is open in local mode; otherwise it needs the x-admin-token header (F-SEC-4). */
  check(token: string | undefined): void {
    if (this.mode === 'local') return;
    if (this.adminToken && token === this.adminToken) return;
    throw new ForbiddenError('producing needs API_MODE=local or the x-admin-token header');
  }
}

@ApiTags('topics')
@Controller('api/topics')
export class TopicsController {
  constructor(
    private readonly topics: TopicsService,
    private readonly policy: ProduceGuardPolicy,
  ) {}

  @Get()
  list() {
    return this.topics.list();
  }

  @Get('messages')
  read(@Query() query: unknown) {
    return this.topics.read(parseRequest(TopicReadQuerySchema, query, 'query'));
  }

  @Post(':topic/messages')
  @HttpCode(201)
  produce(
    @Param() params: unknown,
    @Body() body: unknown,
    @Headers('x-admin-token') token: string | undefined,
  ) {
    this.policy.check(token);
    return this.topics.produce(
      parseRequest(TopicParam, params, 'path').topic,
      parseRequest(ProduceRequestSchema, body, 'body'),
    );
  }
}
