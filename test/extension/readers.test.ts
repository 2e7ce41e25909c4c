import { describe, expect, it } from 'vitest';
import { describeReaders, parseReaders } from '../../extension/compose/readers.js';
import { recipientRows } from '../../extension/compose/recipients.js';

describe('who may read, as typed in the send dialog', () => {
  it('reads numbers in any written form, leading parts and the wildcard', () => {
    expect(parseReaders('811218-9876, 19800101*')).toEqual({ readers: ['se-pnr:198112189876', 'se-pnr:19800101*'] });
    expect(parseReaders('198112189876\n8112189876')).toEqual({ readers: ['se-pnr:198112189876'] });
    expect(parseReaders(' * ')).toEqual({ readers: '*' });
  });

  it('says what is wrong, naming the value but not repeating the number', () => {
    const wrong = parseReaders('811218-9876, 811218-9875');
    expect(wrong).toEqual({ problem: expect.stringContaining('value 2: the check digit') });
    expect(JSON.stringify(wrong)).not.toContain('9875');
    expect(parseReaders('198*')).toEqual({ problem: expect.stringContaining('4 to 11 digits') });
    expect(parseReaders('*, 811218-9876')).toEqual({ problem: expect.stringContaining('already lets anyone') });
    expect(parseReaders('')).toHaveProperty('problem');
  });

  it('describes readers without numbers', () => {
    expect(describeReaders(['se-pnr:198112189876', 'se-pnr:1980*'])).toBe('May read: 1 person and 1 group by birth date.');
    expect(describeReaders('*')).toContain('Anyone');
  });
});

describe('a leading part typed without its *', () => {
  it('gets an error that says the * is missing, in the field and in a gateway address in To', () => {
    expect(parseReaders('19990807')).toEqual({ problem: expect.stringContaining('a leading part needs its * at the end') });
    const [row] = recipientRows([{ field: 'to', address: '0701234567&login=19990807@sms.sigill.se', name: '' }], 'sms.sigill.se');
    expect(row).toMatchObject({ channel: 'sms', problem: expect.stringContaining('a leading part needs its * at the end') });
  });
});
