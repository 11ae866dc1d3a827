/**
 * F-CDC-2: a "Use CDC" order placed before the CDC worker's first start must not be lost. The workshop
 * has the user start the platform (which migrates the database) and only later run ./order-cdc.sh; the
 * slot is created by `manage-db migrate`, so such an order waits in the slot and is streamed when the
 * worker starts. Its own database, slot and topics on the shared test infrastructure.
 */
import { spawnSync } from 'node:child_process';
import { orderItemEventId } from '@kartshoppe/contracts';
import { Client, Pool } from 'pg';
import {
  Collector,
  deleteTopics,
  insertOrder,
  lines,
  orderId,
  ROOT,
  slotRow,
  startWorker,
  uniqueSlot,
  uniqueTopics,
  type WorkerHandle,
} from '../../services/cdc-worker/test/cdc.harness';
import { testPgConfig, testServiceEnv } from '../support/infra';

jest.setTimeout(120_000);

describe('manage-db migrate creates the CDC publication and slot (F-CDC-2)', () => {
  const database = uniqueSlot('cdc_migrate');
  const slot = database;
  const topics = uniqueTopics('cdc-migrate');
  let pool: Pool;
  let worker: WorkerHandle | undefined;
  let out: Collector | undefined;

  const migrate = () => {
    const run = spawnSync(process.execPath, ['scripts/run-ts.js', 'scripts/manage-db.ts', 'migrate'], {
      cwd: ROOT,
      env: { ...process.env, ...testServiceEnv({ POSTGRES_DB: database, CDC_SLOT_NAME: slot }) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const output = `${run.stdout}${run.stderr}`;
    if (run.status !== 0) throw new Error(`manage-db migrate failed:\n${output}`);
    return output;
  };

  beforeAll(() => {
    pool = new Pool({ ...testPgConfig(database), max: 2 });
    pool.on('error', () => undefined);
  });

  afterAll(async () => {
    await out?.stop();
    await worker?.stop();
    await pool?.end();
    // DROP DATABASE also drops the database's (inactive) slots; FORCE ends any leftover session.
    const admin = new Client(testPgConfig('postgres'));
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
    await deleteTopics(topics).catch(() => undefined);
  });

  it('a Use-CDC order committed after migrate but before any CDC worker ran is published when the worker starts', async () => {
    expect(migrate()).toMatch(new RegExp(`created replication slot ${slot}`));
    const { rows } = await pool.query(
      `SELECT s.database, s.plugin, (SELECT count(*)::int FROM pg_publication WHERE pubname = 'kartshoppe_cdc_pub') AS pubs
         FROM pg_replication_slots s WHERE s.slot_name = $1`,
      [slot],
    );
    expect(rows).toEqual([{ database, plugin: 'pgoutput', pubs: 1 }]);

    // Idempotent: the start scripts migrate on every start, and must not move or replace the slot.
    const created = await slotRow(pool, slot);
    expect(migrate()).toMatch(new RegExp(`replication slot ${slot} is in place`));
    expect(await slotRow(pool, slot)).toEqual(created);

    // The workshop user ticks "Use CDC" before running ./order-cdc.sh.
    const early = orderId('EARLY');
    const earlyLines = lines(2);
    await insertOrder(pool, early, 'cdc', earlyLines);
    const direct = orderId('DIRECT');
    await insertOrder(pool, direct, 'direct', lines(1));

    worker = await startWorker(slot, topics, { POSTGRES_DB: database, LOG_LEVEL: 'info' });
    out = await Collector.start([topics.orderEvents, topics.orders]);
    const events = await out.waitCount(topics.orderEvents, early, 2);
    expect(events.map((e) => e.json.eventId).sort()).toEqual(
      earlyLines.map((l) => orderItemEventId(early, l.productId)).sort(),
    );
    // Both orders' rows reach the envelope topic; only the cdc-mode one becomes order events (F-C-1).
    await out.waitCount(topics.orders, direct, 1);
    expect(out.of(topics.orderEvents, direct)).toEqual([]);
    // The worker found the slot migrate made (a slot it created itself would start after the orders).
    expect(worker.logs()).toMatch(/resuming from the slot/);
  });
});
