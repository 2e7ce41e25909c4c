/** A browser's cookie, kept between requests (the server binds verifications to it). */
export class CookieJar {
  cookie = '';
  constructor(private readonly send: (url: string, init: RequestInit) => Response | Promise<Response> = fetch) {}

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const response = await this.send(url, { ...init, headers });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    return response;
  }
}
