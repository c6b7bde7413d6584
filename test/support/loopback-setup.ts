import { pathToFileURL } from 'node:url';
import { fileURLToPath } from 'node:url';
import './loopback-guard.mjs';

// Child node processes spawned by tests (the built CLI) load the same guard.
const guard = pathToFileURL(fileURLToPath(new URL('./loopback-guard.mjs', import.meta.url))).href;
if (!(process.env.NODE_OPTIONS ?? '').includes('loopback-guard')) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import=${guard}`.trim();
}
