import { spawnSync } from 'node:child_process';
import dns from 'node:dns';
import net from 'node:net';
import { describe, expect, it } from 'vitest';

describe('the test suite cannot reach beyond loopback', () => {
  it('refuses a TCP connection to a non-loopback address before any packet', () => {
    // 192.0.2.1 is TEST-NET-1 (documentation range): even if the guard failed, nothing answers there.
    expect(() => net.connect({ host: '192.0.2.1', port: 9 })).toThrow(/loopback guard/);
    expect(() => net.connect(9, '192.0.2.1')).toThrow(/loopback guard/);
  });

  it('refuses DNS lookups of names other than localhost', async () => {
    await expect(dns.promises.lookup('example.invalid')).rejects.toThrow(/loopback guard/);
    const error = await new Promise<Error | null>((resolve) => dns.lookup('example.invalid', (e) => resolve(e)));
    expect(error?.message).toMatch(/loopback guard/);
  });

  it('allows loopback', async () => {
    const server = net.createServer((s) => s.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    const text = await new Promise<string>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    server.close();
    expect(text).toBe('ok');
  });

  it('is inherited by spawned node processes', () => {
    const r = spawnSync(process.execPath, ['-e', "require('net').connect({host:'192.0.2.1',port:9})"], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/loopback guard/);
  });
});

describe('callers that resolve names themselves', () => {
  it('may connect by name when their lookup yields loopback, and are refused otherwise', async () => {
    const server = net.createServer((s) => s.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    const connectVia = (address: string) =>
      new Promise<string>((resolve) => {
        const socket = net.connect({
          host: 'pinned.test',
          port,
          lookup: ((_h: string, o: { all?: boolean }, cb: (e: Error | null, a?: unknown, f?: number) => void) => (o?.all ? cb(null, [{ address, family: 4 }]) : cb(null, address, 4))) as never,
        });
        socket.on('data', () => resolve('connected'));
        socket.on('error', (e) => resolve(e.message));
      });
    expect(await connectVia('127.0.0.1')).toBe('connected');
    expect(await connectVia('192.0.2.1')).toMatch(/loopback guard/);
    server.close();
  });
});
