import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckoutRequestSchema, OrderIdSchema, SessionIdSchema } from '@kartshoppe/contracts';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { parseRequest } from '../common/http-errors';
import { OrdersService } from './orders.service';

const OrderParams = z.object({ orderId: OrderIdSchema }).strict();
const ListQuery = z.object({ sessionId: SessionIdSchema }).strict();

@ApiTags('orders')
@Controller('api/ecommerce')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  /** 201 with the new order; 200 with the earlier order when an idempotencyKey is retried. */
  @Post('checkout')
  @HttpCode(201)
  async checkout(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.orders.checkout(parseRequest(CheckoutRequestSchema, body, 'body'));
    if (!result.created) void reply.status(200);
    return result.order;
  }

  @Get('orders/:orderId')
  get(@Param() params: unknown) {
    return this.orders.get(parseRequest(OrderParams, params, 'path').orderId);
  }

  @Get('orders')
  list(@Query() query: unknown) {
    return this.orders.list(parseRequest(ListQuery, query, 'query').sessionId);
  }
}
