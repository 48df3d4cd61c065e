import { describe, expect, it } from 'vitest';
import { LedgerError, TrafficLedger } from './accounting.ts';

describe('TrafficLedger', () => {
  it('balances when every read record is settled once', () => {
    const ledger = new TrafficLedger();
    ledger.read({ kind: 'quarantined', line: 1, code: 'blank-line', field: '(line)', reason: 'blank line' });
    ledger.read();
    ledger.read();
    expect(ledger.balanced).toBe(false);
    expect(() => ledger.assertBalanced()).toThrow(/read 3/);
    ledger.sent('o-1');
    ledger.failed('o-2', 'HTTP 500');
    ledger.assertBalanced();
    expect(ledger.toJSON()).toEqual({
      read: 3,
      clones: 0,
      sent: 1,
      failed: 1,
      quarantined: 1,
      pending: 0,
      balanced: true,
    });
    expect(ledger.failures).toEqual([{ orderId: 'o-2', reason: 'HTTP 500' }]);
  });

  it('counts clones as owed, and refuses to settle an id twice', () => {
    const ledger = new TrafficLedger();
    ledger.read();
    ledger.cloned(2);
    ledger.sent('o-1');
    ledger.sent('o-1~1');
    expect(ledger.counts.pending).toBe(1);
    expect(() => ledger.sent('o-1')).toThrow(LedgerError);
    expect(() => ledger.failed('o-1~1', 'x')).toThrow(/settled twice/);
    ledger.sent('o-1~2');
    ledger.assertBalanced();
  });
});
