import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createWorkspaceFile } from '../workspace/create.js';
import { openWorkspace } from '../workspace/open.js';
import { WORKSPACE_FORMAT_VERSION } from '../workspace/format.js';
import { buildSyntheseNomenclaturesSync, syntheseNomenclaturesPath } from './build-synthese-nomenclatures.js';
import { demoCopy } from '../../../test/helpers/cleanup.js';
import { CT } from './schema.js';

const tables = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return {
      names: new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[])),
      contents: new Set(db.prepare('SELECT table_name FROM gpkg_contents').pluck().all() as string[]),
    };
  } finally {
    db.close();
  }
};

describe('cleanup tables (workspace format)', () => {
  it('a new workspace has them, registered in gpkg_contents', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'passerelle-ws-')), 'new.gpkg');
    await createWorkspaceFile(path, { title: 't', source: null, localSrid: null, actor: 't' }, () => {});
    const t = tables(path);
    for (const name of Object.values(CT)) {
      expect(t.names.has(name), name).toBe(true);
      expect(t.contents.has(name), name).toBe(true);
    }
  });

  it('opening the format 1 demo (a copy) for writing migrates it to the current format with them', () => {
    const path = demoCopy();
    expect(tables(path).names.has(CT.imports)).toBe(false);
    const ws = openWorkspace(path, { write: true });
    expect(ws.formatVersion).toBe(WORKSPACE_FORMAT_VERSION);
    ws.close();
    for (const name of Object.values(CT)) expect(tables(path).names.has(name), name).toBe(true);
  });
});

describe('synthese nomenclature catalog', () => {
  it('the committed module is what the INPN SQL gives (regenerate with the script when it changes)', () => {
    expect(readFileSync(syntheseNomenclaturesPath(), 'utf8')).toBe(buildSyntheseNomenclaturesSync());
  });
});
