import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { sampleOrder } from '../traffic/test-orders.ts';
import { pinoRedaction } from './pino.ts';

describe('pinoRedaction', () => {
  it('keeps customer, recipient and notes out of log lines at the depths we log them', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ redact: pinoRedaction }, sink);
    const order = { ...sampleOrder('o-1'), notes: 'ring Alice Marker' };
    logger.info({ order }, 'accepted');
    logger.info(order, 'flat');
    logger.info({ req: { body: order } }, 'request');
    logger.info({ orders: [order, order] }, 'batch');
    logger.info({ parcel: { recipient: { name: 'Alice Marker', phone: '+447700900123' } } }, 'parcel');
    const text = lines.join('');
    expect(lines).toHaveLength(5);
    for (const marker of ['Alice', 'Marker', '900123', 'gmail', 'Baker']) expect(text).not.toContain(marker);
    expect(text).toContain('o-1');
  });
});
