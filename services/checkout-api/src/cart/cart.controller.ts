import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  CartAddRequestSchema,
  CartUpdateRequestSchema,
  ProductIdSchema,
  SessionIdSchema,
} from '@kartshoppe/contracts';
import { z } from 'zod';
import { parseRequest } from '../common/http-errors';
import { CartService } from './cart.service';

const SessionParams = z.object({ sessionId: SessionIdSchema }).strict();
const ItemParams = z.object({ sessionId: SessionIdSchema, productId: ProductIdSchema }).strict();

/** Carts (DESIGN §8): add sets the line's quantity like the original; removals reach the server (F-C-4). */
@ApiTags('cart')
@Controller('api/ecommerce/cart')
export class CartController {
  constructor(private readonly carts: CartService) {}

  @Get(':sessionId')
  get(@Param() params: unknown) {
    return this.carts.get(parseRequest(SessionParams, params, 'path').sessionId);
  }

  /** 200 like the original (it sets a line, it does not create a resource). */
  @Post(':sessionId/add')
  @HttpCode(200)
  add(@Param() params: unknown, @Body() body: unknown) {
    return this.carts.add(
      parseRequest(SessionParams, params, 'path').sessionId,
      parseRequest(CartAddRequestSchema, body, 'body'),
    );
  }

  @Put(':sessionId/items/:productId')
  update(@Param() params: unknown, @Body() body: unknown) {
    const p = parseRequest(ItemParams, params, 'path');
    return this.carts.update(p.sessionId, p.productId, parseRequest(CartUpdateRequestSchema, body, 'body'));
  }

  @Delete(':sessionId/items/:productId')
  remove(@Param() params: unknown) {
    const p = parseRequest(ItemParams, params, 'path');
    return this.carts.remove(p.sessionId, p.productId);
  }

  @Delete(':sessionId')
  clear(@Param() params: unknown) {
    return this.carts.clear(parseRequest(SessionParams, params, 'path').sessionId);
  }
}
