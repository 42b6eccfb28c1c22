import Database from 'better-sqlite3';
const db = new Database('/tmp/cl/b.gpkg', { readonly: true });
const cols = (db.prepare('PRAGMA table_info(observations)').all() as Array<{ name: string }>).map((c) => c.name).filter((c) => c !== 'geom_local_wkb');
for (const [name, sql, raw] of [
  ['star', 'SELECT * FROM observations', false],
  ['star raw', 'SELECT * FROM observations', true],
  ['cols+join', `SELECT ${cols.map((c) => `o."${c}"`).join(', ')}, r.source_line, r.extra_json FROM observations o LEFT JOIN cleanup_rows r ON r.observation_fid = o.fid ORDER BY o.fid`, false],
  ['cols+join raw', `SELECT ${cols.map((c) => `o."${c}"`).join(', ')}, r.source_line, r.extra_json FROM observations o LEFT JOIN cleanup_rows r ON r.observation_fid = o.fid ORDER BY o.fid`, true],
] as const) {
  const t = performance.now();
  let n = 0;
  const st = db.prepare(sql);
  if (raw) st.raw(true);
  for (const r of st.iterate()) n++;
  console.log(name, n, (performance.now() - t).toFixed(0));
}
console.log(db.prepare(`EXPLAIN QUERY PLAN SELECT o.fid FROM observations o LEFT JOIN cleanup_rows r ON r.observation_fid = o.fid ORDER BY o.fid`).all());
