/** A real HTTP server on 127.0.0.1 that records each request and answers as told. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpSink {
  url: string;
  requests: ReceivedRequest[];
  /** How the next requests are answered; default 200 "ok". `hang` never answers. */
  answer: { status: number; body: string } | 'hang';
  /** Resolves when `count` requests have arrived (whole bodies read). */
  waitFor(count: number): Promise<void>;
  /** Resolves when a hung request's client has gone away. */
  closedRequests(): number;
  close(): Promise<void>;
}

export async function startHttpSink(): Promise<HttpSink> {
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const hung: ServerResponse[] = [];
  let closed = 0;
  const sink: HttpSink = {
    url: '',
    requests,
    answer: { status: 200, body: 'ok' },
    waitFor: (count) => (requests.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    closedRequests: () => closed,
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      for (const w of waiters.filter((w) => requests.length >= w.count)) w.resolve();
      const answer = sink.answer;
      if (answer === 'hang') {
        hung.push(res);
        res.on('close', () => closed++);
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return sink;
}
