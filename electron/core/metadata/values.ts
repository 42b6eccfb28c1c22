/**
 * Conversions of text values read from or written to metadata files: dates, booleans, numbers,
 * identifiers. Shared by the readers so a date means the same in MTD, EML and ISO, and every
 * value that cannot be read becomes a note instead of a silent loss.
 */
import { isIsoDate, normalizeUuid, type MetadataNote, type MetadataNoteId, type MessageParams } from '../../../shared/metadata/index.js';

/** Collects the notes of one import or export. */
export class Notes {
  readonly list: MetadataNote[] = [];

  add(id: MetadataNoteId, params: MessageParams = {}): void {
    this.list.push({ id, params });
  }
}

/**
 * A date read from a file as `YYYY-MM-DD`, or null: accepts `YYYY-MM-DD`, a date-time
 * (`YYYY-MM-DDThh:mm…`, date part kept), `DD/MM/YYYY`, and a year alone (`YYYY` → 1 January,
 * as EML `calendarDate` allows a year).
 */
export function readDate(value: string | null): string | null {
  if (value === null) return null;
  const v = value.trim();
  let m = /^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(v);
  if (m && isIsoDate(m[1] as string)) return m[1] as string;
  m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v);
  if (m) {
    const iso = `${m[3]}-${m[2]}-${m[1]}`;
    if (isIsoDate(iso)) return iso;
  }
  if (/^\d{4}$/.test(v)) return `${v}-01-01`;
  return null;
}

/** `true`/`false` (any case, or 1/0, oui/non) as a boolean, or undefined when it is neither. */
export function readBoolean(value: string | null): boolean | null | undefined {
  if (value === null) return null;
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'oui' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'non' || v === 'no') return false;
  return undefined;
}

/** A decimal number (point or comma), or undefined when the text is not one. */
export function readNumber(value: string | null): number | null | undefined {
  if (value === null) return null;
  const v = value.trim().replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * An identifier that may come as a URI ending with a UUID (`http://oafs.fr/meta/ca/<uuid>`, seen
 * in MTD exports; `urn:uuid:<uuid>`): the UUID, lower-cased, and whether a URI was stripped.
 */
export function readIdentifier(value: string | null): { id: string; stripped: boolean } {
  if (value === null) return { id: '', stripped: false };
  const v = value.trim();
  const m = /(?:[/:#])([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/.exec(v);
  if (m && m[1] && m[1].length !== v.length) return { id: normalizeUuid(m[1]), stripped: true };
  return { id: normalizeUuid(v), stripped: false };
}

/** A number as written in a file: shortest round-trip form, never exponent notation for coordinates. */
export function writeNumber(n: number): string {
  const s = String(n);
  return /e/i.test(s) ? n.toFixed(12).replace(/0+$/, '').replace(/\.$/, '') : s;
}

/**
 * The bounding box a record gives, from the boxes read in it (west, south, east, north, each as
 * readNumber gave it): a box with a value missing or unreadable is dropped, several are united
 * (with a note), none gives null.
 */
export function unionOfBoxes(read: ReadonlyArray<ReadonlyArray<number | null | undefined>>, notes: Notes): { west: number; south: number; east: number; north: number } | null {
  const boxes = read.filter((v): v is [number, number, number, number] => v.every((n) => typeof n === 'number'));
  if (boxes.length > 1) notes.add('import.bboxUnion', { count: boxes.length });
  return boxes.length
    ? {
        west: Math.min(...boxes.map((b) => b[0])),
        south: Math.min(...boxes.map((b) => b[1])),
        east: Math.max(...boxes.map((b) => b[2])),
        north: Math.max(...boxes.map((b) => b[3])),
      }
    : null;
}
