import { HttpResponse, http, type RequestHandler } from 'msw';
import type { FakeAri } from './fake-ari.js';

/**
 * MSW handlers answering ARI REST under `<baseUrl>/ari/*` from a {@link FakeAri}, for tests that
 * run the connector's actions without a server (the contract suite). Events need the real
 * server: see `startFakeAriServer`.
 */
export function fakeAriHandlers(ari: FakeAri, baseUrl: string): RequestHandler[] {
  return [
    http.all(`${baseUrl.replace(/\/$/, '')}/ari/*`, async ({ request }) => {
      const url = new URL(request.url);
      if (!ari.authorized(request.headers.get('authorization'), url.searchParams))
        return HttpResponse.json({ message: 'Authentication required' }, { status: 401 });
      const text = await request.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        return HttpResponse.json({ message: 'Invalid JSON body' }, { status: 400 });
      }
      const answer = ari.handle(request.method, url.pathname.replace(/^\/ari/, ''), url.searchParams, body);
      if (answer.bytes)
        return new HttpResponse(answer.bytes.slice().buffer, {
          status: answer.status,
          headers: { 'content-type': answer.contentType ?? 'application/octet-stream' },
        });
      if (answer.json !== undefined) return HttpResponse.json(answer.json as never, { status: answer.status });
      return new HttpResponse(null, { status: answer.status });
    }),
  ];
}
