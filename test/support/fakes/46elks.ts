import { basicCredentials, isE164, postCallback, randomHex, roughParts, startFake, type FakeServer } from './http.js';

/**
 * A fake 46elks (`POST /a1/sms`, form fields, Basic auth), as documented: wrong
 * credentials get 401 with a plain-text body; bad fields 400 plain text; success is
 * `{"status":"created","direction":"outgoing","from","to","created","parts","cost","id"}`
 * (no `message` when `dontlog=message`). `report(id, status)` POSTs the delivery report
 * (`id`, `status`, `delivered` when delivered) to the message's `whendelivered` URL,
 * with the URL's userinfo as Basic auth as 46elks does.
 */
export interface ElksSent {
  id: string;
  to: string;
  from: string;
  message: string;
  whendelivered: string | undefined;
}

export interface ElksFake extends FakeServer {
  sent: ElksSent[];
  report(id: string, status: 'sent' | 'delivered' | 'failed'): Promise<number>;
}

export async function start46elksFake(username: string, password: string): Promise<ElksFake> {
  const sent: ElksSent[] = [];
  const fake = await startFake((request, response, recorded) => {
    const text = (status: number, body: string) => void response.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    if (request.method !== 'POST' || request.url !== '/a1/sms') return text(404, 'Not found');
    const credentials = basicCredentials(request.headers.authorization);
    if (!credentials || credentials[0] !== username || credentials[1] !== password) return text(401, 'Authentication failed');
    const fields = Object.fromEntries(recorded.fields);
    if (!fields.to || !isE164(fields.to)) return text(400, 'Invalid to number');
    if (!fields.from || !(isE164(fields.from) || /^[A-Za-z0-9]{1,11}$/.test(fields.from))) return text(400, 'Invalid from');
    if (!fields.message) return text(400, 'Missing key message');
    const id = `s${randomHex(16)}`;
    const parts = roughParts(fields.message);
    sent.push({ id, to: fields.to, from: fields.from, message: fields.message, whendelivered: fields.whendelivered });
    const created = new Date().toISOString().replace('Z', '000').replace(/\.(\d{3})000$/, '.$1000');
    const answer: Record<string, unknown> = { status: 'created', direction: 'outgoing', from: fields.from, to: fields.to, created, parts, cost: 5000 * parts, id };
    if (fields.dontlog !== 'message') answer.message = fields.message;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  return {
    ...fake,
    sent,
    async report(id, status) {
      const message = sent.find((m) => m.id === id);
      if (!message?.whendelivered) throw new Error('no such message with a whendelivered URL');
      const fields: Record<string, string> = { id, status };
      if (status === 'delivered') fields.delivered = new Date().toISOString().slice(0, 19).replace('T', ' ');
      return postCallback(message.whendelivered, fields);
    },
  };
}
