import { parsePointer, pointer } from '../pointer.js';
import type { MarkdownDocument } from './markdownDocument.js';

/**
 * A Markdown table pointer that does not depend on positions: `/tables/3/rows/7/1` becomes
 * `/tables/[Tailscale Host Table (Canonical)]/rows/[observability]/Tailscale IP` — the table by its
 * heading, the row by its first cell, the column by its header — so adding a row or a table above
 * keeps a finding's fingerprint. Other pointers (front matter) are returned unchanged.
 */
export function stableMarkdownPointer(doc: MarkdownDocument | undefined, ptr: string): string {
  if (!doc || !ptr.startsWith('/tables/')) return ptr;
  let segments: string[];
  try {
    segments = parsePointer(ptr);
  } catch {
    return ptr;
  }
  const table = doc.tables[Number(segments[1])];
  if (!table) return ptr;
  const out: (string | number)[] = ['tables', `[${table.heading}]`];
  if (segments.length > 2) out.push(segments[2]!);
  if (segments.length > 3) {
    const row = table.rows[Number(segments[3])];
    const key = row?.list[0]?.value;
    out.push(key ? `[${key}]` : segments[3]!);
  }
  if (segments.length > 4) {
    const col = segments[4]!;
    out.push(/^\d+$/.test(col) ? (table.headers[Number(col)] ?? col) : col);
  }
  out.push(...segments.slice(5));
  return pointer(...out);
}
