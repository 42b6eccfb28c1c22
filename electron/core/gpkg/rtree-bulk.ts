import type Database from 'better-sqlite3';
import { quoteId } from './identifiers.js';

type Db = Database.Database;

/** Boxes to index: `ids[i]` has box (minX[i], maxX[i], minY[i], maxY[i]). */
export interface RtreeEntries {
  readonly count: number;
  readonly ids: Float64Array;
  /** minX, maxX, minY, maxY for each entry, in that order. */
  readonly boxes: Float64Array;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The largest float32 ≤ v (SQLite's rtree rounds minima down so a box never shrinks). */
function down(v: number): number {
  const f = Math.fround(v);
  if (f <= v || !Number.isFinite(f)) return f;
  f32[0] = f;
  u32[0] = f > 0 ? (u32[0] as number) - 1 : f === 0 ? 0x80000001 : (u32[0] as number) + 1;
  return f32[0] as number;
}

/** The smallest float32 ≥ v (maxima are rounded up). */
function up(v: number): number {
  const f = Math.fround(v);
  if (f >= v || !Number.isFinite(f)) return f;
  f32[0] = f;
  u32[0] = f > 0 ? (u32[0] as number) + 1 : f === 0 ? 0x00000001 : (u32[0] as number) - 1;
  return f32[0] as number;
}

interface Level {
  /** Child (or rowid) per cell, grouped by node: node k holds cells [starts[k], starts[k+1]). */
  refs: Float64Array;
  boxes: Float32Array;
  starts: number[];
}

/** Sort-Tile-Recursive packing of `n` boxes into nodes of at most `m` cells (Leutenegger et al., 1997). */
function strOrder(n: number, boxes: Float32Array, m: number): Uint32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const cx = new Float64Array(n);
  const cy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    cx[i] = (boxes[i * 4] as number) + (boxes[i * 4 + 1] as number);
    cy[i] = (boxes[i * 4 + 2] as number) + (boxes[i * 4 + 3] as number);
  }
  idx.sort((a, b) => (cx[a] as number) - (cx[b] as number));
  const nodes = Math.ceil(n / m);
  const slabs = Math.ceil(Math.sqrt(nodes));
  const perSlab = slabs * m;
  for (let s = 0; s < n; s += perSlab) idx.subarray(s, Math.min(n, s + perSlab)).sort((a, b) => (cy[a] as number) - (cy[b] as number));
  return idx;
}

/** Groups entries into nodes of at most `m` cells, returning the parent level's boxes. */
function pack(refs: Float64Array, boxes: Float32Array, m: number): { level: Level; parentBoxes: Float32Array; nodes: number } {
  const n = refs.length;
  const order = strOrder(n, boxes, m);
  const outRefs = new Float64Array(n);
  const outBoxes = new Float32Array(n * 4);
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    outRefs[k] = refs[i] as number;
    outBoxes.set(boxes.subarray(i * 4, i * 4 + 4), k * 4);
  }
  const nodes = Math.ceil(n / m);
  const starts: number[] = [];
  const parentBoxes = new Float32Array(nodes * 4);
  for (let k = 0; k < nodes; k++) {
    const s = k * m;
    const e = Math.min(n, s + m);
    starts.push(s);
    let a = Infinity;
    let b = -Infinity;
    let c = Infinity;
    let d = -Infinity;
    for (let j = s; j < e; j++) {
      a = Math.min(a, outBoxes[j * 4] as number);
      b = Math.max(b, outBoxes[j * 4 + 1] as number);
      c = Math.min(c, outBoxes[j * 4 + 2] as number);
      d = Math.max(d, outBoxes[j * 4 + 3] as number);
    }
    parentBoxes.set([a, b, c, d], k * 4);
  }
  starts.push(n);
  return { level: { refs: outRefs, boxes: outBoxes, starts }, parentBoxes, nodes };
}

/**
 * Fills an empty rtree (created with `CREATE VIRTUAL TABLE … USING rtree(id, minx, maxx,
 * miny, maxy)`) in one pass, by writing its shadow tables (_node, _rowid, _parent) with a
 * packed tree, as GDAL does for its bulk loads.
 *
 * Inserting a million rows one by one through the rtree takes ~8 s here (each insert walks
 * and splits nodes); a Sort-Tile-Recursive packed tree takes well under a second and is a
 * tighter index. The node format is SQLite's (ext/rtree/rtree.c): big-endian; a node is a
 * 2-byte depth (root only), a 2-byte cell count, then cells of an 8-byte rowid or child
 * node number and four 32-bit floats rounded outwards; node 1 is the root. A test checks
 * the result with SQLite's own `rtreecheck()`.
 */
export function bulkLoadRtree(db: Db, rtree: string, entries: RtreeEntries): void {
  const nodeSize = (db.prepare(`SELECT length(data) AS n FROM ${quoteId(`${rtree}_node`)} WHERE nodeno = 1`).get() as { n: number } | undefined)?.n;
  const existing = (db.prepare(`SELECT count(*) AS n FROM ${quoteId(`${rtree}_rowid`)}`).get() as { n: number }).n;
  if (!nodeSize || existing > 0) throw new Error(`${rtree} must be a new, empty rtree to be bulk-loaded`);
  const m = Math.floor((nodeSize - 4) / 24);
  const n = entries.count;
  if (n === 0) return;
  let refs = entries.ids.slice(0, n);
  let boxes: Float32Array = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    boxes[i * 4] = down(entries.boxes[i * 4] as number);
    boxes[i * 4 + 1] = up(entries.boxes[i * 4 + 1] as number);
    boxes[i * 4 + 2] = down(entries.boxes[i * 4 + 2] as number);
    boxes[i * 4 + 3] = up(entries.boxes[i * 4 + 3] as number);
  }
  // Build levels bottom-up until one node remains: that one is the root.
  const levels: Level[] = [];
  for (;;) {
    const { level, parentBoxes, nodes } = pack(refs, boxes, m);
    levels.push(level);
    if (nodes === 1) break;
    // The next level's entries are this level's nodes, by index (their numbers come later).
    refs = new Float64Array(nodes);
    for (let k = 0; k < nodes; k++) refs[k] = k;
    boxes = parentBoxes;
  }
  // Number nodes top-down: root = 1, then each level in order.
  const firstNodeNo: number[] = new Array(levels.length);
  let next = 1;
  for (let l = levels.length - 1; l >= 0; l--) {
    firstNodeNo[l] = next;
    next += (levels[l] as Level).starts.length - 1;
  }
  // SQLite's defensive mode (on in better-sqlite3) forbids writing shadow tables; lift it for this load only.
  db.unsafeMode(true);
  try {
    writeNodes(db, rtree, levels, firstNodeNo, nodeSize);
  } finally {
    db.unsafeMode(false);
  }
}

function writeNodes(db: Db, rtree: string, levels: Level[], firstNodeNo: number[], nodeSize: number): void {
  const insNode = db.prepare(`INSERT OR REPLACE INTO ${quoteId(`${rtree}_node`)} (nodeno, data) VALUES (?, ?)`);
  const insRowid = db.prepare(`INSERT INTO ${quoteId(`${rtree}_rowid`)} (rowid, nodeno) VALUES (?, ?)`);
  // (rowid, leaf) pairs, written at the end in rowid order: appending to the _rowid b-tree is
  // several times faster than inserting a million keys in the leaves' spatial order.
  const leafRowid: number[] = [];
  const leafNode: number[] = [];
  const insParent = db.prepare(`INSERT INTO ${quoteId(`${rtree}_parent`)} (nodeno, parentnode) VALUES (?, ?)`);
  const depth = levels.length - 1;
  for (let l = levels.length - 1; l >= 0; l--) {
    const level = levels[l] as Level;
    const base = firstNodeNo[l] as number;
    for (let k = 0; k + 1 < level.starts.length; k++) {
      const nodeNo = base + k;
      const s = level.starts[k] as number;
      const e = level.starts[k + 1] as number;
      const buf = Buffer.alloc(nodeSize);
      if (nodeNo === 1) buf.writeUInt16BE(depth, 0);
      buf.writeUInt16BE(e - s, 2);
      for (let j = s; j < e; j++) {
        const off = 4 + (j - s) * 24;
        // Leaves hold rowids; inner cells hold the node numbers of the level below, in order.
        const ref = l === 0 ? (level.refs[j] as number) : (firstNodeNo[l - 1] as number) + (level.refs[j] as number);
        buf.writeBigInt64BE(BigInt(ref), off);
        for (let c = 0; c < 4; c++) buf.writeFloatBE(level.boxes[j * 4 + c] as number, off + 8 + c * 4);
        if (l === 0) {
          leafRowid.push(ref);
          leafNode.push(nodeNo);
        } else insParent.run(ref, nodeNo);
      }
      insNode.run(nodeNo, buf);
    }
  }
  const order = new Uint32Array(leafRowid.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => (leafRowid[a] as number) - (leafRowid[b] as number));
  for (const i of order) insRowid.run(leafRowid[i], leafNode[i]);
}
