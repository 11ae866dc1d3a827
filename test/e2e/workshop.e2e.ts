/**
 * The README's workshop, walked as a user would: only the root scripts, the public HTTP API and
 * `npm run topics` — start → empty shop (and why) → ./inventory-processor.sh → catalog → a direct
 * checkout traced through order-events and inventory-events → a product-updates record resets the
 * stock → ./order-cdc.sh → a checkout with useCdc has the same effect → stop → nothing of ours left.
 * Plus the start's failure modes that are cheap to provoke (issue 7 item 6): a second start, a port
 * held by another process, a broker that never becomes ready; and stop --clean.
 *
 * It runs on its own ports and folders (support/workshop.ts) with a fresh data folder, so it never
 * touches a developer's platform or another suite. afterAll stops whatever is still running.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { InventoryStateResponse, Order, PlatformStatus, Product } from '@kartshoppe/contracts';
import {
  api,
  API_URL,
  describeResult,
  holdPort,
  logTail,
  ourProcesses,
  portOpen,
  REPO_ROOT,
  runScript,
  stillRunning,
  pasteCommand,
  printedTopicsCommands,
  topicsCli,
  WORKSHOP_DIRS,
  WORKSHOP_PORTS,
  type CommandResult,
  type OurProcess,
} from './support/workshop';
import { waitFor } from '../support/infra';

jest.setTimeout(240_000);

const PRODUCT = 'PROD_0001';
/** data/initial-products.json: the catalog the processor loads on its first start. */
const CATALOG_SIZE = 64;
const DATA_DIR = join(REPO_ROOT, WORKSHOP_DIRS.data);

function expectExit(r: CommandResult, code: number): void {
  if (r.code !== code) throw new Error(`expected exit ${code}: ${describeResult(r)}`);
}

async function stock(productId: string): Promise<number> {
  return (await api<Product>(`/api/ecommerce/product/${productId}`)).inventory;
}

/** Puts `quantity` of the product in a fresh cart and checks out (what the storefront's button does). */
async function checkout(quantity: number, useCdc: boolean): Promise<Order> {
  const sessionId = `workshop-e2e-${useCdc ? 'cdc' : 'direct'}-${Date.now()}`;
  await api(`/api/ecommerce/cart/${sessionId}/add`, {
    method: 'POST',
    body: { productId: PRODUCT, quantity },
  });
  return api<Order>('/api/ecommerce/checkout', { method: 'POST', body: { sessionId, useCdc } });
}

async function waitForStock(expected: number): Promise<void> {
  await waitFor(
    `the API to show ${expected} units of ${PRODUCT}`,
    async () => ((await stock(PRODUCT)) === expected ? true : undefined),
    { timeoutMs: 30_000, intervalMs: 300 },
  );
}

const ALL_PORTS = Object.values(WORKSHOP_PORTS);

beforeAll(async () => {
  // A fresh machine: no platform of this suite running (an aborted earlier run), no data, no settings.
  expectExit(await runScript('stop-platform-local.sh', ['--clean'], 120_000), 0);
  rmSync(join(REPO_ROOT, WORKSHOP_DIRS.envFile), { force: true });
  for (const port of ALL_PORTS) {
    if (await portOpen(port))
      throw new Error(`port ${port} is in use by another process: the suite needs it`);
  }
}, 180_000);

afterAll(async () => {
  const r = await runScript('stop-platform-local.sh', [], 120_000);
  if (r.code !== 0) process.stderr.write(`afterAll: stop failed: ${describeResult(r)}\n`);
}, 180_000);

describe('the workshop, step by step', () => {
  let directOrder: Order;
  /** Steps 3 and 4 as ./start-platform-local.sh prints them (run verbatim below). */
  let traceCommand: string;
  let stockCommand: string;

  it('./inventory-processor.sh before the platform runs says to start it first, at once', async () => {
    const r = await runScript('inventory-processor.sh', [], 60_000);
    expectExit(r, 1);
    expect(r.stderr).toContain(
      `error: Kafka at 127.0.0.1:${WORKSHOP_PORTS.kafka} does not accept connections. Is the platform running? Start it first with ./start-platform-local.sh`,
    );
    expect(ourProcesses()).toEqual([]);
  });

  it('step 1: ./start-platform-local.sh starts Kafka, PostgreSQL and the API, and prints the URLs and next steps', async () => {
    const r = await runScript('start-platform-local.sh');
    process.stdout.write(`start-platform-local.sh took ${(r.ms / 1000).toFixed(1)} s (fresh data folder)\n`);
    expectExit(r, 0);
    // The missing settings file is created from .env.example and the user is told.
    expect(r.stdout).toContain(`${WORKSHOP_DIRS.envFile} was missing: created it from .env.example`);
    expect(existsSync(join(REPO_ROOT, WORKSHOP_DIRS.envFile))).toBe(true);
    for (let n = 1; n <= 7; n++)
      expect(r.stdout).toMatch(new RegExp(`^Step ${n}/7: .+ in \\d+\\.\\d s$`, 'm'));
    expect(r.stdout).toContain(`Storefront     ${API_URL}`);
    expect(r.stdout).toContain(`Topics page    ${API_URL}/topics`);
    expect(r.stdout).toContain(`Kafka          127.0.0.1:${WORKSHOP_PORTS.kafka}`);
    // The README's workshop steps, numbered the same; steps 3 and 4 are commands to paste.
    expect(r.stdout).toContain('2. ./inventory-processor.sh');
    expect(r.stdout).toContain('5. ./order-cdc.sh');
    expect(r.stdout).toContain('6. ./stop-platform-local.sh');
    [traceCommand, stockCommand] = printedTopicsCommands(r.stdout);
    expect(traceCommand).toBe(
      `npm run topics -- tail order-events,inventory-events --filter '.value.productId == "${PRODUCT}"'`,
    );
    expect(stockCommand).toBe(
      `npm run topics -- produce product-updates --key ${PRODUCT} --value '{"productId":"${PRODUCT}","inventory":10}'`,
    );
    // The storefront is served by the API.
    const page = await fetch(API_URL);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });

  it('the shop is empty, and the API says why: the inventory processor is not running', async () => {
    const state = await api<InventoryStateResponse>('/api/ecommerce/inventory/state');
    expect(state.totalProducts).toBe(0);
    const platform = await api<PlatformStatus>('/api/platform/status');
    const byName = Object.fromEntries(platform.components.map((c) => [c.name, c.status]));
    expect(byName).toMatchObject({
      'checkout-api': 'up',
      kafka: 'up',
      postgres: 'up',
      'inventory-processor': 'down',
      'cdc-worker': 'down',
    });
  });

  it('a second start says the platform is already running and exits non-zero, changing nothing', async () => {
    const before = ourProcesses();
    const r = await runScript('start-platform-local.sh', [], 60_000);
    expectExit(r, 3);
    expect(r.stderr).toContain('KartShoppe is already running');
    expect(r.stderr).toContain('./stop-platform-local.sh');
    expect(
      ourProcesses()
        .map((p) => p.pid)
        .sort(),
    ).toEqual(before.map((p) => p.pid).sort());
  });

  it('step 2: ./inventory-processor.sh starts the processor and the catalog appears', async () => {
    const r = await runScript('inventory-processor.sh', [], 180_000);
    expectExit(r, 0);
    expect(r.stdout).toMatch(/^Step 1\/1: starting the inventory processor… ready \(pid \d+\) in/m);
    expect(r.stdout).toContain(`http://127.0.0.1:${WORKSHOP_PORTS.processor}/health`);
    expect(printedTopicsCommands(r.stdout)).toEqual([traceCommand, stockCommand]);
    expect(r.stdout).toContain('5. ./order-cdc.sh');
    const state = await waitFor(
      `the catalog (${CATALOG_SIZE} products) in the API`,
      async () => {
        const s = await api<InventoryStateResponse>('/api/ecommerce/inventory/state');
        return s.totalProducts === CATALOG_SIZE ? s : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${logTail('inventory-processor.log')}`);
    });
    expect(state.products.find((p) => p.productId === PRODUCT)?.inventory).toBe(10);

    const again = await runScript('inventory-processor.sh', [], 60_000);
    expectExit(again, 0);
    expect(again.stdout).toContain('The inventory processor is already running');
  });

  it('a direct checkout lowers the stock and the order is confirmed', async () => {
    const before = await stock(PRODUCT);
    directOrder = await checkout(2, false);
    expect(directOrder).toMatchObject({ status: 'PENDING', publishMode: 'direct', published: true });
    await waitForStock(before - 2);
    await waitFor(
      'the order to be CONFIRMED',
      async () =>
        (await api<Order>(`/api/ecommerce/orders/${directOrder.orderId}`)).status === 'CONFIRMED'
          ? true
          : undefined,
      { timeoutMs: 30_000, intervalMs: 300 },
    );
  });

  it('step 3 as printed (npm run topics -- tail …) finds the purchase in order-events and inventory-events', async () => {
    const { records, result } = await pasteCommand(traceCommand);
    const eventId = `${directOrder.orderId}:${PRODUCT}`;
    const orderEvent = records.find((m) => m.topic === 'order-events' && m.value.eventId === eventId);
    const inventoryEvent = records.find((m) => m.topic === 'inventory-events' && m.value.eventId === eventId);
    if (!orderEvent || !inventoryEvent)
      throw new Error(`purchase ${eventId} not found in the CLI's output:\n${describeResult(result)}`);
    expect(orderEvent).toMatchObject({
      key: PRODUCT,
      value: { orderId: directOrder.orderId, quantity: 2, source: 'api' },
    });
    expect(inventoryEvent.value).toMatchObject({ eventType: 'INVENTORY_DECREASED', productId: PRODUCT });
    expect(
      Number(inventoryEvent.value.previousInventory) - Number(inventoryEvent.value.currentInventory),
    ).toBe(2);
    expect(result.stderr).toMatch(/record\(s\) from order-events, inventory-events matching/);
  });

  it('step 4 as printed (npm run topics -- produce product-updates …) resets the stock to 10', async () => {
    const { records } = await pasteCommand(stockCommand);
    expect(records[0]).toMatchObject({ topic: 'product-updates' });
    await waitForStock(10);
  });

  it('step 5: ./order-cdc.sh; a checkout with useCdc lowers the stock the same way, via the database', async () => {
    const r = await runScript('order-cdc.sh', [], 180_000);
    expectExit(r, 0);
    expect(r.stdout).toMatch(/^Step 1\/1: starting the CDC worker… ready \(pid \d+\) in/m);
    expect(r.stdout).toContain('6. ./stop-platform-local.sh');
    const [cdcTrace] = printedTopicsCommands(r.stdout);
    expect(cdcTrace).toBe(`npm run topics -- tail order-events --filter '.value.source == "cdc"'`);

    const order = await checkout(3, true);
    expect(order).toMatchObject({ status: 'PENDING', publishMode: 'cdc' });
    await waitForStock(7).catch((e: Error) => {
      throw new Error(`${e.message}\n${logTail('cdc-worker.log')}`);
    });
    const { records, result } = await pasteCommand(cdcTrace);
    const mine = records.filter((m) => m.value.orderId === order.orderId);
    if (mine.length !== 1)
      throw new Error(`expected one cdc record of ${order.orderId}: ${describeResult(result)}`);
    expect(mine[0]).toMatchObject({ topic: 'order-events', key: PRODUCT });
    expect(mine[0].value).toMatchObject({ productId: PRODUCT, quantity: 3, source: 'cdc' });
    // The raw change is in the CDC envelope topic too.
    const { records: envelopes } = await topicsCli([
      'tail',
      'cdc.public.order_items',
      '--filter',
      `.value.after.order_id == "${order.orderId}"`,
    ]);
    expect(envelopes.length).toBeGreaterThanOrEqual(1);
  });

  let running: OurProcess[] = [];

  it('step 6: ./stop-platform-local.sh stops everything it started, gracefully, and frees every port', async () => {
    running = ourProcesses();
    expect(running.map((p) => p.name).sort()).toEqual(
      ['cdc-worker', 'checkout-api', 'inventory-processor', 'kafka', 'postgres'].sort(),
    );
    const r = await runScript('stop-platform-local.sh', [], 120_000);
    process.stdout.write(`stop-platform-local.sh took ${(r.ms / 1000).toFixed(1)} s\n${r.stdout}`);
    expectExit(r, 0);
    for (const name of ['cdc-worker', 'inventory-processor', 'checkout-api'])
      expect(r.stdout).toMatch(new RegExp(`stopped ${name} \\(pid \\d+\\)$`, 'm')); // no "(SIGKILL after …)"
    expect(r.stdout).toContain('kafka: stopped');
    expect(r.stdout).toContain('postgres: stopped');
    expect(r.stdout).toMatch(/^Stopped in \d+\.\d s\.$/m);
    expect(running.filter(stillRunning)).toEqual([]);
    for (const port of ALL_PORTS)
      expect(`${port}: ${(await portOpen(port)) ? 'open' : 'free'}`).toBe(`${port}: free`);
  });

  it('a start with the API port held by another process says so and starts nothing', async () => {
    const squatter = await holdPort(WORKSHOP_PORTS.api);
    try {
      const r = await runScript('start-platform-local.sh', [], 60_000);
      expectExit(r, 1);
      expect(r.stdout).toMatch(/^Step 1\/7: checking prerequisites… FAILED/m);
      expect(r.stderr).toContain(
        `error: port ${WORKSHOP_PORTS.api} (needed by the checkout API) is already in use`,
      );
      expect(r.stderr).toContain(`API_PORT=${WORKSHOP_PORTS.api + 1000}`);
    } finally {
      squatter.close();
    }
    expect(ourProcesses()).toEqual([]);
    expect(await portOpen(WORKSHOP_PORTS.kafka)).toBe(false);
  });

  it('a broker that does not become ready in time fails the start with one message, not a hang', async () => {
    // KAFKA_START_TIMEOUT_S=0: the deadline has passed before the JVM can open its port.
    const r = await runScript('start-platform-local.sh', [], 120_000, { KAFKA_START_TIMEOUT_S: '0' });
    expectExit(r, 1);
    expect(r.stdout).toMatch(/^Step 3\/7: starting Kafka and PostgreSQL \(native\)… FAILED/m);
    expect(r.stderr).toMatch(
      new RegExp(`^error: kafka: port ${WORKSHOP_PORTS.kafka} not open after 0s`, 'm'),
    );
    expect(r.stdout).not.toContain('Step 4/7');
    expect(ourProcesses().filter((p) => p.name === 'kafka')).toEqual([]);
  });

  it('./stop-platform-local.sh --clean removes the data (the next start is a fresh one)', async () => {
    expect(existsSync(join(DATA_DIR, 'postgres'))).toBe(true);
    // Another tree in the data folder (as .data/test-infra sits in .data/ beside the platform's data).
    const foreign = join(DATA_DIR, 'test-infra-like', 'keep.txt');
    mkdirSync(dirname(foreign), { recursive: true });
    writeFileSync(foreign, 'not the platform data');
    const r = await runScript('stop-platform-local.sh', ['--clean'], 120_000);
    expectExit(r, 0);
    expect(r.stdout).toContain('no component of ours was running');
    expect(r.stdout).toContain(`--clean: removed the data in ${WORKSHOP_DIRS.data}/`);
    for (const dir of ['postgres', 'kafka', 'processor']) expect(existsSync(join(DATA_DIR, dir))).toBe(false);
    // Logs, the settings file and other trees in the folder are not the platform's data.
    expect(existsSync(join(REPO_ROOT, WORKSHOP_DIRS.logs, 'start-platform-local.log'))).toBe(true);
    expect(existsSync(join(REPO_ROOT, WORKSHOP_DIRS.envFile))).toBe(true);
    expect(existsSync(foreign)).toBe(true);
    rmSync(dirname(foreign), { recursive: true });
  });
});
