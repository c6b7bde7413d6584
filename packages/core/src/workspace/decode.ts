import type { ParseProblem } from './problems.js';
import { WHOLE_FILE } from './problems.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode a file as UTF-8 strictly; report the first invalid byte's position instead of guessing. */
export function decodeUtf8(bytes: Uint8Array): { text: string; problem?: ParseProblem } {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
    const lines = before.split('\n');
    const line = lines.length;
    const column = (lines[lines.length - 1] ?? '').length + 1;
    return {
      text: '',
      problem: {
        code: 'encoding',
        message: `File is not valid UTF-8 (invalid byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at byte offset ${offset}).`,
        range: { line, column, endLine: line, endColumn: column + 1 },
        severity: 'error',
      },
    };
  }
  if (text.includes('\u0000')) {
    const offset = text.indexOf('\u0000');
    const before = text.slice(0, offset).split('\n');
    const line = before.length;
    const column = (before[before.length - 1] ?? '').length + 1;
    return {
      text: '',
      problem: {
        code: 'binary',
        message: 'File looks binary (it contains a NUL character); bindings must be text.',
        range: { line, column, endLine: line, endColumn: column + 1 },
        severity: 'error',
      },
    };
  }
  // A BOM is legal but invisible; strip it so column 1 is the first real character.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}

function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need = 0;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return Math.max(0, bytes.length - 1);
}

export { WHOLE_FILE };
