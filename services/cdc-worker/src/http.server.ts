import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { CdcHealth } from '@kartshoppe/contracts';
import type { Logger } from '@kartshoppe/runtime';

/** `GET /health` (CdcHealth; 503 while not streaming) and `GET /metrics` (Prometheus). */
export function createHttpServer(
  health: () => Promise<CdcHealth>,
  registry: Registry,
  logger: Logger,
): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    void (async () => {
      if (req.method !== 'GET') return send(405, 'text/plain', 'method not allowed');
      if (path === '/health') {
        const h = await health();
        return send(h.connected ? 200 : 503, 'application/json', JSON.stringify(h));
      }
      if (path === '/metrics') return send(200, registry.contentType, await registry.metrics());
      return send(404, 'application/json', JSON.stringify({ error: `no route ${path}` }));
    })().catch((error: unknown) => {
      logger.error({ err: error, path }, 'http handler failed');
      if (!res.headersSent) send(500, 'text/plain', 'internal error');
    });
  });
}
