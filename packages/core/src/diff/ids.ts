import { parsePointer, pointer } from '../pointer.js';

/**
 * The fields that identify a record in a list of records, tried in order: the first one a record
 * has (as a string or number) is its id. Lists of records are matched by id, never by index, both
 * in the semantic diff and in the index-free form of a pointer. The core's default is generic; a
 * layout names its own fields through `WorkspaceOptions.recordIdFields` (the spine catalog does).
 */
export const DEFAULT_ID_FIELDS: readonly string[] = ['id', 'name'];

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/** The id of a record (`{field, value}`), or undefined when it has none of the id fields. */
export function recordId(item: unknown, idFields: readonly string[] = DEFAULT_ID_FIELDS): { field: string; value: string } | undefined {
  if (!isRecord(item)) return undefined;
  for (const field of idFields) {
    const v = item[field];
    if (typeof v === 'string' && v !== '') return { field, value: v };
    if (typeof v === 'number' && Number.isFinite(v)) return { field, value: String(v) };
  }
  return undefined;
}

/**
 * A pointer with each array index replaced by the id of the record it names (`/services/3/host` →
 * `/services/[service=grafana]/host`), so that inserting a record above does not change it.
 * Indices of records without an id, and of scalars, are kept.
 */
export function stablePointer(value: unknown, ptr: string | undefined, idFields: readonly string[] = DEFAULT_ID_FIELDS): string | undefined {
  if (ptr === undefined || value === undefined) return ptr;
  let segments: string[];
  try {
    segments = parsePointer(ptr);
  } catch {
    return ptr;
  }
  const out: string[] = [];
  let current: unknown = value;
  let replaced = false;
  for (const segment of segments) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) {
      const item = current[Number(segment)];
      const id = recordId(item, idFields);
      out.push(id ? `[${id.field}=${id.value}]` : segment);
      if (id) replaced = true;
      current = item;
    } else {
      out.push(segment);
      current = isRecord(current) ? current[segment] : undefined;
    }
  }
  // Nothing replaced and nothing escaped: re-joining the segments would give the same text back.
  if (!replaced && !ptr.includes('~')) return ptr;
  return pointer(...out);
}
