import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ProductIdSchema, type InventoryStateResponse } from '@kartshoppe/contracts';
import { z } from 'zod';
import { Clock } from '../common/clock';
import { NotFoundError, parseRequest } from '../common/http-errors';
import { ReadModel } from './read-model';
import { queryProducts } from './read-model.rules';

const ProductsQuery = z
  .object({
    category: z.string().max(100).optional(),
    search: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(20),
  })
  .strict();

/** Named, so a bad id is a 400 naming `productId` (a bare string schema reported "(root)"). */
const ProductParams = z.object({ productId: ProductIdSchema }).strict();

/** Catalog reads from the in-memory read model (the original's paths). */
@ApiTags('catalog')
@Controller('api/ecommerce')
export class CatalogController {
  constructor(
    private readonly readModel: ReadModel,
    private readonly clock: Clock,
  ) {}

  @Get('inventory/state')
  state(): InventoryStateResponse {
    const products = this.readModel.all();
    return {
      products,
      totalProducts: products.length,
      timestamp: this.clock.nowMs(),
      categories: this.readModel.categories(),
    };
  }

  @Get('products')
  products(@Query() query: unknown) {
    return queryProducts(this.readModel.all(), parseRequest(ProductsQuery, query, 'query'));
  }

  @Get('product/:productId')
  product(@Param() params: unknown) {
    const { productId } = parseRequest(ProductParams, params, 'path');
    const p = this.readModel.get(productId);
    if (!p) throw new NotFoundError(`product ${productId} not found`);
    return p;
  }

  @Get('alerts')
  alerts() {
    return this.readModel.recentAlerts();
  }
}
