import { checksumOf, decideCdcSlot, orderMigrations, planMigrations } from './lib/migrations';

const file = (name: string, sql = `-- ${name}`) => ({ file: name, sql });

describe('orderMigrations', () => {
  test('orders by numeric version, not by string', () => {
    const ordered = orderMigrations([
      file('10_ten.sql'),
      file('002_two.sql'),
      file('001_one.sql'),
      file('9_nine.sql'),
    ]);
    expect(ordered.map((m) => m.version)).toEqual([1, 2, 9, 10]);
    expect(ordered[0]).toMatchObject({
      name: 'one',
      file: '001_one.sql',
      checksum: checksumOf('-- 001_one.sql'),
    });
  });

  test('ignores files that are not SQL', () => {
    expect(orderMigrations([file('README.md'), file('001_one.sql')]).map((m) => m.file)).toEqual([
      '001_one.sql',
    ]);
  });

  test.each([['orders.sql'], ['001-orders.sql'], ['001_.sql']])('rejects the ambiguous name %s', (name) => {
    expect(() => orderMigrations([file(name)])).toThrow(/NNN_name\.sql/);
  });

  test('rejects two files with one version', () => {
    expect(() => orderMigrations([file('001_a.sql'), file('1_b.sql')])).toThrow(/share version 1/);
  });
});

describe('planMigrations', () => {
  const all = orderMigrations([file('001_one.sql'), file('002_two.sql'), file('003_three.sql')]);

  test('a fresh database gets every migration in order', () => {
    expect(planMigrations(all, []).pending.map((m) => m.version)).toEqual([1, 2, 3]);
  });

  test('applied migrations are not applied again', () => {
    const applied = all.slice(0, 2).map((m) => ({ version: m.version, checksum: m.checksum }));
    const plan = planMigrations(all, applied);
    expect(plan.pending.map((m) => m.version)).toEqual([3]);
    expect(plan.changed).toEqual([]);
    expect(plan.unknown).toEqual([]);
  });

  test('reports an applied migration whose file changed, and versions without a file', () => {
    const plan = planMigrations(all, [
      { version: 1, checksum: 'different' },
      { version: 7, checksum: 'x' },
    ]);
    expect(plan.changed.map((m) => m.version)).toEqual([1]);
    expect(plan.unknown).toEqual([7]);
    expect(plan.pending.map((m) => m.version)).toEqual([2, 3]);
  });
});

describe('decideCdcSlot (F-CDC-2: migrate creates the slot so orders placed before the worker are kept)', () => {
  const ours = { database: 'ecommerce', plugin: 'pgoutput', slotType: 'logical', walStatus: 'reserved' };

  test('a missing slot is created', () => {
    expect(decideCdcSlot('kartshoppe_cdc', 'ecommerce', undefined)).toEqual({ action: 'create' });
  });

  test('an existing slot of this database is kept: the worker resumes from it', () => {
    expect(decideCdcSlot('kartshoppe_cdc', 'ecommerce', ours)).toEqual({ action: 'keep' });
  });

  test.each([
    ['of another database', { ...ours, database: 'other' }, /belongs to database other.*CDC_SLOT_NAME/],
    ['with another plugin', { ...ours, plugin: 'wal2json' }, /not a pgoutput logical slot/],
    ['that is physical', { ...ours, slotType: 'physical', plugin: null, database: null }, /not a pgoutput/],
    ['that lost its WAL', { ...ours, walStatus: 'lost' }, /lost WAL.*--drop-slot/],
  ])('a slot %s is reported, never dropped or replaced', (_what, existing, message) => {
    const decision = decideCdcSlot('kartshoppe_cdc', 'ecommerce', existing);
    expect(decision).toEqual({ action: 'warn', message: expect.stringMatching(message) });
  });
});
