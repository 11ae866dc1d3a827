import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ProcessorHealthSchema, type ProcessorHealth } from '@kartshoppe/contracts';
import type { Logger } from '@kartshoppe/runtime';
import type { Registry } from 'prom-client';
import { isKnownProduct, type KeyState, type ProductState } from '../rules';
import { partitionForKey } from '../streams/murmur2.partitioner';
import type { StreamsRuntime } from '../streams/kafka/streams.runtime';

/**
 * Interactive queries and operations endpoints (DESIGN §6, port 8091):
 * GET /state/products/:id, GET /state/products, GET /health, GET /metrics.
 */
export function createStateServer(
  runtime: StreamsRuntime<KeyState>,
  registry: Registry,
  instanceId: string,
  logger: Logger,
): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://processor');
    if (req.method !== 'GET') return send(res, 405, { error: 'only GET is supported' });
    if (url.pathname === '/health') return sendHealth(res);
    if (url.pathname === '/metrics') {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(await registry.metrics());
      return;
    }
    if (url.pathname === '/state/products') {
      const products: unknown[] = [];
      for (const task of runtime.tasks.values()) {
        if (task.phase !== 'running') continue;
        // Committed values only: a batch's writes are pending until its transaction commits.
        for (const [, state] of task.store.committedEntries()) {
          if (isKnownProduct(state)) products.push(view(state, task.partition));
        }
      }
      return send(res, 200, {
        instanceId,
        partitions: [...runtime.tasks.keys()].sort((a, b) => a - b),
        products,
      });
    }
    const m = /^\/state\/products\/([^/]+)$/.exec(url.pathname);
    if (m) {
      const productId = safeDecode(m[1]!);
      if (productId === undefined)
        return send(res, 400, { error: `productId ${m[1]} is not valid URL encoding` });
      if (runtime.partitionCount === 0) return send(res, 503, { error: 'processor is starting' });
      const partition = partitionForKey(productId, runtime.partitionCount);
      const task = runtime.localTask(partition);
      if (task) {
        // A key that only remembers rejected order lines has no product.
        const state = task.store.getCommitted(productId);
        return isKnownProduct(state)
          ? send(res, 200, view(state, partition))
          : send(res, 404, { error: `unknown product ${productId}`, partition });
      }
      // Not ours: say who owns the key's partition (421 Misdirected Request).
      const owner = await runtime.ownerOf(partition).catch(() => undefined);
      return send(res, owner ? 421 : 404, {
        error: owner
          ? `product ${productId} is owned by another instance`
          : `no instance owns partition ${partition} yet`,
        partition,
        owner: owner ?? null,
      });
    }
    send(res, 404, { error: `no route ${url.pathname}` });
  };

  const sendHealth = (res: ServerResponse) => {
    const partitions = [...runtime.tasks.values()]
      .sort((a, b) => a.partition - b.partition)
      .map((t) => ({
        partition: t.partition,
        lag: [...t.lag.values()].reduce((a, b) => a + BigInt(b), 0n).toString(),
        restoring: t.phase === 'restoring',
        products: t.phase === 'running' ? t.store.committedSize() : 0,
      }));
    const health: ProcessorHealth = ProcessorHealthSchema.parse({
      component: 'inventory-processor',
      status: runtime.phase === 'running' ? 'up' : runtime.phase === 'stopping' ? 'down' : 'starting',
      instanceId,
      phase: runtime.phase,
      partitions,
      timersPending: runtime.timersPending(),
      deadLetters: runtime.metrics.deadLetterCount,
      stateSizeBytes: runtime.stateSizeBytes(),
    });
    send(res, runtime.phase === 'running' ? 200 : 503, health);
  };

  return createServer((req, res) => {
    handle(req, res).catch((err) => {
      logger.error({ err, url: req.url }, 'http request failed');
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
    });
  });
}

function view(state: ProductState, partition: number) {
  return {
    ...state.product,
    partition,
    lastActivityMs: state.lastActivityMs,
    staleDeadlineMs: state.staleDeadlineMs,
    appliedEvents: state.appliedEventIds.length,
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A malformed escape (`%ZZ`) is the client's mistake: 400, not a 500 from decodeURIComponent's URIError. */
function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
