// N in-process ssh2 servers on 127.0.0.1 (a separate process from the client being measured).
// Every exec answers after a fixed delay. Prints one JSON line {ports, hostKey, clientKey} and
// runs until stdin closes.   node bench/lib/ssh-servers.mjs <count> <delayMs> <clientKeyFile>
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../packages/core/package.json', import.meta.url));
const { Server, utils } = require('ssh2');
const [count, delayMs, clientKeyFile] = [Number(process.argv[2] ?? 20), Number(process.argv[3] ?? 200), process.argv[4]];
const hostKey = utils.generateKeyPairSync('ed25519');
const clientKey = utils.generateKeyPairSync('ed25519');
writeFileSync(clientKeyFile, clientKey.private, { mode: 0o600 });
const allowed = utils.parseKey(clientKey.public);

const output = (command) =>
  command.startsWith('tailscale') ? '{"BackendState":"Running","Self":{"Online":true}}\n' : command.startsWith('systemctl') ? 'active\n' : command.startsWith('docker') ? '[]\n' : '';
let sessions = 0;
const ports = await Promise.all(
  Array.from({ length: count }, () => {
    const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
      sessions++;
      client.on('error', () => {});
      client.on('authentication', (ctx) => {
        if (ctx.method !== 'publickey' || ctx.key.algo !== allowed.type || !ctx.key.data.equals(allowed.getPublicSSH())) return ctx.reject(['publickey']);
        if (ctx.signature && !allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return ctx.reject(['publickey']);
        ctx.accept();
      });
      client.on('ready', () => {
        client.on('session', (acceptSession) => {
          const session = acceptSession();
          session.on('exec', (acceptExec, _reject, info) => {
            const stream = acceptExec();
            setTimeout(() => {
              stream.write(output(info.command));
              stream.exit(0);
              stream.end();
            }, delayMs);
          });
        });
      });
    });
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
  }),
);
process.stdout.write(JSON.stringify({ ports, hostKey: hostKey.public }) + '\n');
process.stdin.on('data', () => process.stdout.write(JSON.stringify({ sessions }) + '\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
