/**
 * The bad-input sweep (issue 8): every kind of bad input the platform can be handed, on every surface
 * it accepts input on — HTTP, the storefront WebSocket, the processor's input topics, the API's input
 * topics and the rows the CDC worker captures — each with its expected outcome. The table IS
 * the documentation: one row = {surface, input, expected} (support/sweep-table.ts; it prints itself
 * as Markdown for the README).
 *
 * The rules every row also checks: a bad input gets a clear error and loses nothing — HTTP 400 naming
 * the field (404 unknown ids, 413 oversize); a poison record goes to `dead-letters` with its original
 * bytes and origin headers (topic, partition, offset, error, component); never a crash (all three
 * services alive and healthy after every row) and never a stuck stream (a good input after the bad
 * one, on the same partition, is still processed); duplicates have no second effect; a stale or
 * out-of-order input does not regress state.
 *
 * Real Kafka and Postgres (the shared test infrastructure, with the sweep's own topics and database),
 * the real services as child processes on ports 38481 (API), 38491 (processor), 38492 (CDC worker).
 * SWEEP_PROGRESS=1 prints each row as it starts.
 */
import { randomBytes } from 'node:crypto';
import { waitFor } from '../support/infra';
import { apiInventory, json, partitionOf, fullProduct, send, type SweepContext } from './support/sweep-kit';
import {
  assertHealthy,
  collect,
  createDatabase,
  createTopics,
  deleteTopics,
  dropDatabase,
  startPlatform,
  sweepKafka,
  sweepPool,
  sweepSlot,
  sweepTopics,
} from './support/sweep-platform';
import { idOnPartition, tag } from './support/sweep-surfaces';
import { SWEEP_TABLE } from './support/sweep-table';

jest.setTimeout(30_000);

describe('bad-input sweep: every bad input gets a clear outcome, nothing crashes, the stream goes on', () => {
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const database = `sweep_${run}`;
  const topics = sweepTopics(run);
  const kafka = sweepKafka();
  const c = { kafka, topics, rm2: { version: 1 } } as SweepContext;

  beforeAll(async () => {
    const PA = `SW_${run}_A`;
    const p = partitionOf(PA);
    const RM = `RM_${run}_1`;
    c.ids = {
      run,
      PA,
      PB: idOnPartition(`SW_${run}_B`, p),
      PC: idOnPartition(`SW_${run}_C`, p),
      NOPE: idOnPartition(`SW_${run}_NOPE`, p),
      RM,
      RM2: idOnPartition(`RM_${run}_2`, partitionOf(RM)),
    };
    await createTopics(kafka, topics);
    createDatabase(database, sweepSlot(run));
    c.pool = sweepPool(database);
    c.platform = await startPlatform(run, topics, database);
    c.producer = kafka.producer();
    await c.producer.connect();
    c.out = await collect(kafka, [
      topics.deadLetters,
      topics.orderStatus,
      topics.inventoryEvents,
      topics.orderEvents,
    ]);
    // PA, PB, PC through the processor (as a workshop user would add them); RM, RM2 straight to `products`.
    for (const [id, inventory] of [
      [c.ids.PA, 1000],
      [c.ids.PB, 3],
      [c.ids.PC, 100],
    ] as const) {
      await send(c, topics.productUpdates, id, json(fullProduct(id, { inventory })));
    }
    await send(
      c,
      topics.products,
      c.ids.RM,
      json(fullProduct(c.ids.RM, { inventory: 40, version: 10 })),
      partitionOf(RM),
    );
    await send(c, topics.products, c.ids.RM2, json(fullProduct(c.ids.RM2, { version: 1 })), partitionOf(RM));
    for (const id of [c.ids.PA, c.ids.PB, c.ids.PC, c.ids.RM, c.ids.RM2]) {
      await waitFor(`${id} in the read model`, async () => (await apiInventory(c, id)) !== undefined);
    }
  }, 180_000);

  afterAll(async () => {
    const step = (what: string) =>
      process.env.SWEEP_PROGRESS && process.stderr.write(`sweep cleanup: ${what}\n`);
    step('collector');
    await c.out?.stop();
    await c.producer?.disconnect();
    step('services');
    await c.platform?.stop();
    await c.pool?.end();
    step('database');
    await dropDatabase(database).catch((e: Error) => console.warn(`sweep: ${e.message}`));
    step('topics');
    await deleteTopics(kafka, topics).catch((e: Error) => console.warn(`sweep: ${e.message}`));
    step('done');
  }, 60_000);

  const rows = SWEEP_TABLE.map(([surface, row], i) => ({
    n: i + 1,
    surface,
    row,
    title: `${row.surface} | ${row.input} → ${row.expected}`,
  }));

  it.each(rows)('#$n $title', async ({ n, surface, row }) => {
    // SWEEP_PROGRESS=1 prints each row as it starts (jest reports a file only when it ends).
    if (process.env.SWEEP_PROGRESS) process.stderr.write(`sweep row ${n}: ${row.surface} | ${row.input}\n`);
    await assertHealthy(c.platform); // fail fast, with the crash output, if an earlier row killed a service
    await row.run(c);
    await surface.followUp(c, tag('row'));
    await row.then?.(c);
    await assertHealthy(c.platform);
  });

  it(`covers at least 30 kinds of bad input on every surface (${SWEEP_TABLE.length} rows)`, () => {
    expect(SWEEP_TABLE.length).toBeGreaterThanOrEqual(30);
    expect(new Set(SWEEP_TABLE.map(([s]) => s.name)).size).toBe(11);
  });
});
