import { createHmac } from 'node:crypto';
import { basicCredentials, isE164, postCallback, randomHex, roughParts, startFake, type FakeServer } from './http.js';

/**
 * A fake Twilio Messages API (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form
 * fields To, From, Body, StatusCallback, Basic auth AccountSid:AuthToken), as documented:
 * errors are JSON `{"code","message","more_info","status"}` (20003 on bad credentials,
 * 21211 for a bad To, 21602 without a Body); success is 201 with `sid`, `status: "queued"`,
 * `num_segments` (a string) and the rest of a Message resource. `report(sid, status, code)`
 * POSTs a StatusCallback signed with X-Twilio-Signature by its own HMAC-SHA1.
 */
export interface TwilioSent {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | undefined;
}

export interface TwilioFake extends FakeServer {
  sent: TwilioSent[];
  report(sid: string, status: 'sent' | 'delivered' | 'undelivered' | 'failed', errorCode?: string): Promise<number>;
}

/** The signature exactly as Twilio documents it, written here apart from the server's. */
export function signTwilio(authToken: string, url: string, fields: Record<string, string>): string {
  let data = url;
  for (const key of Object.keys(fields).sort()) data += key + fields[key];
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export async function startTwilioFake(accountSid: string, authToken: string): Promise<TwilioFake> {
  const sent: TwilioSent[] = [];
  const path = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const fake = await startFake((request, response, recorded) => {
    const json = (status: number, body: unknown) => void response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    const error = (status: number, code: number, message: string) => json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
    const credentials = basicCredentials(request.headers.authorization);
    if (!credentials || credentials[0] !== accountSid || credentials[1] !== authToken) return error(401, 20003, 'Authenticate');
    if (request.method !== 'POST' || request.url !== path) return error(404, 20404, 'The requested resource was not found');
    const fields = Object.fromEntries(recorded.fields);
    if (!fields.To || !isE164(fields.To)) return error(400, 21211, `The 'To' number ${fields.To ?? ''} is not a valid phone number.`);
    if (!fields.From) return error(400, 21603, "A 'From' phone number is required.");
    if (!fields.Body) return error(400, 21602, 'Message body is required.');
    const sid = `SM${randomHex(16)}`;
    sent.push({ sid, to: fields.To, from: fields.From, body: fields.Body, statusCallback: fields.StatusCallback });
    const now = new Date().toUTCString().replace('GMT', '+0000');
    json(201, {
      account_sid: accountSid,
      api_version: '2010-04-01',
      body: fields.Body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: fields.From,
      messaging_service_sid: null,
      num_media: '0',
      num_segments: String(roughParts(fields.Body)),
      price: null,
      price_unit: 'USD',
      sid,
      status: 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
      to: fields.To,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
    });
  });
  return {
    ...fake,
    sent,
    async report(sid, status, errorCode) {
      const message = sent.find((m) => m.sid === sid);
      if (!message?.statusCallback) throw new Error('no such message with a StatusCallback');
      const fields: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        From: message.from,
        MessageSid: sid,
        MessageStatus: status,
        SmsSid: sid,
        SmsStatus: status,
        To: message.to,
      };
      if (errorCode) fields.ErrorCode = errorCode;
      if (status === 'delivered' || status === 'undelivered') fields.RawDlrDoneDate = '2612011034';
      return postCallback(message.statusCallback, fields, { 'x-twilio-signature': signTwilio(authToken, message.statusCallback, fields), 'user-agent': 'TwilioProxy/1.1' });
    },
  };
}
