import { describe, expect, it } from 'vitest';
import { BankIdError, parseBankIdIssueDate } from '../../../server/bankid/index.js';
import { readCollectResponse } from '../../../server/bankid/responses.js';

describe('reading BankID answers', () => {
  it('reads bankIdIssueDate with or without a UTC designator', () => {
    expect(parseBankIdIssueDate('2020-02-01').toISOString()).toBe('2020-02-01T00:00:00.000Z');
    expect(parseBankIdIssueDate('2023-11-29Z').toISOString()).toBe('2023-11-29T00:00:00.000Z');
    expect(parseBankIdIssueDate('2023-11-29+01:00').toISOString()).toBe('2023-11-29T00:00:00.000Z');
    for (const bad of ['2023-02-30', '29/11/2023', '2023-11-29T10:00:00Z', '']) {
      expect(() => parseBankIdIssueDate(bad)).toThrow(BankIdError);
    }
  });

  it('keeps unknown hint codes and refuses unknown statuses', () => {
    expect(readCollectResponse({ orderRef: 'o', status: 'pending', hintCode: 'userFace' })).toEqual({ orderRef: 'o', status: 'pending', hintCode: 'userFace' });
    expect(() => readCollectResponse({ orderRef: 'o', status: 'paused', hintCode: 'x' })).toThrowError(expect.objectContaining({ code: 'response_invalid' }));
    expect(() => readCollectResponse({ orderRef: 'o', status: 'complete' })).toThrowError(expect.objectContaining({ code: 'response_invalid' }));
  });

  it('reads stepUp as an object and refuses it as a bare boolean', () => {
    const completionData = {
      user: { personalNumber: '199908072391', name: 'Test Testsson', givenName: 'Test', surname: 'Testsson' },
      device: { ipAddress: '192.0.2.1', uhi: 'OZvYM9VvyiAmG7NA5jU5zqGcVpo=' },
      bankIdIssueDate: '2023-01-01',
      signature: 'PD94',
      ocspResponse: 'MA==',
    };
    const read = readCollectResponse({ orderRef: 'o', status: 'complete', completionData: { ...completionData, stepUp: { mrtd: true }, risk: 'moderate' } });
    expect(read).toMatchObject({ completionData: { stepUp: { mrtd: true }, risk: 'moderate' } });
    expect(() => readCollectResponse({ orderRef: 'o', status: 'complete', completionData: { ...completionData, stepUp: true } })).toThrowError(
      expect.objectContaining({ code: 'response_invalid' }),
    );
  });
});
