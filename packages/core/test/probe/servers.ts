/** Loopback-only HTTP(S) servers with well-defined faults, for the probe tests. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The address policy every probe test uses: loopback only, so a mistake fails instead of sending a packet. */
export const LOOPBACK_ONLY = ['127.0.0.0/8', '::1'];

export interface TestServer {
  url: string;
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Connections open right now. */
  open(): number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(server: Server, scheme: 'http' | 'https'): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let count = 0;
  server.on('connection', (s: Socket) => {
    count++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    connections: () => count,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export const httpServer = (handler: Handler): Promise<TestServer> => listen(createServer(handler), 'http');

/** A self-signed certificate for 127.0.0.1, generated with openssl at test time. */
export function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'spine-lint-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const httpsServer = (tls: { key: string; cert: string }, handler: Handler): Promise<TestServer> => listen(createHttpsServer(tls, handler) as unknown as Server, 'https');

/** Handlers for the classic faults. */
export const handlers = {
  healthy:
    (body = 'Prometheus Server is Healthy.\n'): Handler =>
    (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end(body),
  status:
    (code: number, headers: Record<string, string> = {}): Handler =>
    (_req, res) =>
      res.writeHead(code, headers).end(`status ${code}\n`),
  /** Accept the request, never answer. */
  hang: (): Handler => () => undefined,
  /** Drop the TCP connection as soon as the request arrives. */
  reset: (): Handler => (req) => req.socket.resetAndDestroy?.() ?? req.socket.destroy(),
  /** Send headers and part of the body, then stall forever. */
  stallMidBody: (): Handler => (_req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write('ready');
  },
};
