// Loopback guard for the whole test suite: any attempt to open a TCP connection or resolve a name
// outside the loopback range throws, so a test that would send a packet anywhere else fails instead.
// Loaded in every vitest worker (vitest.config.ts `setupFiles`) and, through NODE_OPTIONS, in every
// node child process the tests spawn (the CLI). npm itself is exempt (pre-commit's node install).
import dns from 'node:dns';
import net from 'node:net';

// npm (however it is started: /usr/bin/npm, npm-cli.js, npx) installs packages from the npm registry.
const isNpm = /(?:^|[\\/])(?:npm|npx)(?:-cli\.js)?$|[\\/]npm[\\/]bin[\\/]/.test(process.argv[1] ?? '');

function isLoopbackHost(host) {
  if (host === undefined || host === null || host === '') return true; // node's default is localhost
  const h = String(host).replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || /^::ffff:127\./.test(h) || /^0*:0*:0*:0*:0*:0*:0*:0*1$/.test(h);
  return false;
}

/** Wrap a custom lookup so that any address it yields outside loopback is an error. */
function guardResolved(lookup) {
  return function guardedResolved(hostname, options, callback) {
    const cb = typeof options === 'function' ? options : callback;
    const opts = typeof options === 'function' ? {} : options;
    return lookup.call(this, hostname, opts, (error, address, family) => {
      if (error) return cb(error);
      const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const bad = list.find((a) => !isLoopbackHost(a));
      if (bad !== undefined) return cb(refuse(`${hostname} (${bad})`));
      return cb(null, address, family);
    });
  };
}

function refuse(what) {
  const error = new Error(`loopback guard: a test tried to reach ${what}; tests may only talk to 127.0.0.0/8 and ::1`);
  error.code = 'ELOOPBACKGUARD';
  return error;
}

if (!isNpm && !globalThis.__spineLintLoopbackGuard) {
  globalThis.__spineLintLoopbackGuard = true;
  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    // net.connect() calls socket.connect() with one normalized array [options, callback].
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    let host;
    let path;
    if (first !== null && typeof first === 'object') {
      host = first.host;
      path = first.path;
    } else if (typeof first === 'string' && !/^\d+$/.test(first)) {
      path = first; // a unix socket path
    } else {
      host = typeof args[1] === 'string' ? args[1] : undefined;
    }
    if (path === undefined && !isLoopbackHost(host)) {
      // A caller that resolves the name itself (undici pins the address a probe's policy approved)
      // may connect by name: the guard then checks the address its lookup returns instead.
      if (first !== null && typeof first === 'object' && typeof first.lookup === 'function') {
        const lookup = first.lookup;
        const guarded = { ...first, lookup: guardResolved(lookup) };
        // Keep net's normalized-arguments array itself (it carries an internal marker).
        if (Array.isArray(args[0])) args[0][0] = guarded;
        else args[0] = guarded;
        return originalConnect.apply(this, args);
      }
      throw refuse(String(host));
    }
    return originalConnect.apply(this, args);
  };

  const guardLookup = (original) =>
    function guardedLookup(hostname, ...rest) {
      if (isLoopbackHost(hostname) || net.isIP(String(hostname)) !== 0) return original.call(this, hostname, ...rest);
      const callback = rest.find((a) => typeof a === 'function');
      const error = refuse(`the name '${hostname}' (DNS)`);
      error.code = 'ENOTFOUND';
      if (callback) {
        process.nextTick(() => callback(error));
        return undefined;
      }
      throw error;
    };
  dns.lookup = guardLookup(dns.lookup);
  const originalPromisesLookup = dns.promises.lookup;
  dns.promises.lookup = async function guardedPromisesLookup(hostname, ...rest) {
    if (isLoopbackHost(hostname) || net.isIP(String(hostname)) !== 0) return originalPromisesLookup.call(this, hostname, ...rest);
    const error = refuse(`the name '${hostname}' (DNS)`);
    error.code = 'ENOTFOUND';
    throw error;
  };
  for (const name of ['resolve', 'resolve4', 'resolve6', 'resolveAny']) {
    const original = dns[name];
    dns[name] = function guardedResolve(hostname, ...rest) {
      if (isLoopbackHost(hostname)) return original.call(this, hostname, ...rest);
      const callback = rest.find((a) => typeof a === 'function');
      const error = refuse(`the name '${hostname}' (DNS)`);
      if (callback) return void process.nextTick(() => callback(error));
      throw error;
    };
  }
}
