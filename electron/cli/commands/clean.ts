import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import {
  CheckId,
  EXIT,
  FieldMapping,
  type CheckReport,
  type CleanFinding,
  type CleanOperation,
  type ExportGeoNatureReport,
  type FixReport,
  type FixSpecInput,
  type ImportReport,
  type In,
  type ReadOptions,
  type RejectedRow,
  type Result,
  type SavedMapping,
  type SniffResult,
  type UndoReport,
} from '../../../shared/contract/index.js';
import { MAPPING_PRESETS, presetMapping } from '../../../shared/cleanup/presets.js';
import type { CliContext } from '../context.js';
import { printError, printResult } from '../output.js';
import { formatCheck, formatExport, formatFindings, formatFix, formatHistory, formatImport, formatMappings, formatRejected, formatSniff, formatUndo } from './clean-format.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

interface ReadOpts {
  encoding?: string;
  delimiter?: string;
  layer?: string;
  headerLine?: string;
}

const withRead = (c: Command) =>
  c
    .addOption(new Option('--encoding <enc>', 'text encoding (default: detected)').choices(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-15']))
    .addOption(new Option('--delimiter <d>', 'CSV delimiter (default: detected); "tab" for a tab').choices([',', ';', 'tab', '|']))
    .option('--header-line <n>', 'CSV: the line of the header (default: the first non-blank line)')
    .option('--layer <name>', 'GeoPackage / multi-layer source: the layer to read');

function readOptions(o: ReadOpts): ReadOptions {
  return {
    ...(o.encoding ? { encoding: o.encoding as NonNullable<ReadOptions['encoding']> } : {}),
    ...(o.delimiter ? { delimiter: (o.delimiter === 'tab' ? '\t' : o.delimiter) as NonNullable<ReadOptions['delimiter']> } : {}),
    ...(o.layer ? { layer: o.layer } : {}),
    ...(o.headerLine ? { headerLine: Number(o.headerLine) } : {}),
  };
}

const workspaceOption = () => new Option('-w, --workspace <path>', 'workspace .gpkg, or "demo" (the bundled demo: writes go to its copy in PASSERELLE_HOME)').env('PASSERELLE_WORKSPACE').makeOptionMandatory();

/**
 * `passerelle clean import|check|findings|fix|undo|history|rejected|export-geonature|sniff|mappings`:
 * the cleanup domain from the shell. `check` exits 1 when it finds defects (errors or warnings).
 */
export function registerClean(cli: CliContext): void {
  const clean = cli.program.command('clean').description('import legacy files, find every defect, fix in bulk with preview and undo, export for GeoNature');
  const bad = (message: string) => {
    printError({ code: 'INVALID_INPUT', message });
    cli.exit(EXIT.BAD_INPUT);
  };

  withRead(clean.command('sniff'))
    .description('what Passerelle reads in a file: format, encoding (with candidates), delimiter, header, columns, suggested mapping')
    .argument('<file>', 'CSV/TSV, GeoPackage, Shapefile, GeoJSON or Darwin Core Archive')
    .option('--rows <n>', 'preview rows', '5')
    .action(async (file: string, opts: ReadOpts & { rows: string }) => {
      const r = await cli.call('clean.sniff', { path: resolve(file), read: readOptions(opts), previewRows: Number(opts.rows) });
      cli.exit(printResult(r as Result<SniffResult>, cli.output(), formatSniff));
    });

  withRead(clean.command('import'))
    .description('import a file into a workspace through a field mapping; rows that cannot be imported are kept aside with their reason')
    .argument('<file>', 'CSV/TSV, GeoPackage, Shapefile, GeoJSON or Darwin Core Archive')
    .addOption(workspaceOption())
    .option('-m, --mapping <name|file.json>', 'a saved mapping, a built-in one (geonature-export, synthese-columns, sinp-dee, darwin-core) or a JSON file (default: suggested from the columns)')
    .option('--set <field=column>', 'map a synthese field to a column (repeat), on top of the mapping', collect)
    .option('--const <field=value>', 'give a synthese field a constant (repeat), e.g. dataset_uuid=…', collect)
    .option('--wkt <column>', 'geometry: WKT column')
    .option('--x <column>', 'geometry: X / longitude column (with --y)')
    .option('--y <column>', 'geometry: Y / latitude column (with --x)')
    .option('--srs <srs>', 'coordinate system of --wkt or --x/--y (default EPSG:4326)')
    .option('--commune <column>', 'geometry: commune INSEE code column (workspace areas)')
    .option('--date-format <pattern>', 'date pattern, e.g. DD/MM/YYYY (default: auto)')
    .option('--save-mapping <name>', 'save the mapping used under this name')
    .option('--create', 'create the workspace if it does not exist')
    .option('--title <title>', 'title of a created workspace')
    .action(
      async (
        file: string,
        opts: ReadOpts & { workspace: string; mapping?: string; set?: string[]; const?: string[]; wkt?: string; x?: string; y?: string; srs?: string; commune?: string; dateFormat?: string; saveMapping?: string; create?: boolean; title?: string },
      ) => {
        const path = resolve(file);
        const read = readOptions(opts);
        let mapping: FieldMapping;
        const preset = MAPPING_PRESETS.find((p) => p.name === opts.mapping);
        if (preset) {
          // A built-in mapping applies its column names to this file's columns.
          const s = await cli.call('clean.sniff', { path, read, previewRows: 1 });
          if (!s.ok) {
            cli.exit(printResult(s, cli.output(), () => ''));
            return;
          }
          mapping = presetMapping(preset, (s.value as SniffResult).columns).mapping;
        } else if (opts.mapping) {
          const m = await loadMapping(cli, opts.mapping);
          if (!m) return bad(`No mapping "${opts.mapping}" (a saved or built-in name, or a JSON file)`);
          mapping = m;
        } else {
          const s = await cli.call('clean.sniff', { path, read, previewRows: 1 });
          if (!s.ok) {
            cli.exit(printResult(s, cli.output(), () => ''));
            return;
          }
          mapping = (s.value as SniffResult).suggested;
        }
        mapping = { ...mapping, fields: { ...mapping.fields }, geometry: [...mapping.geometry] };
        for (const kv of opts.set ?? []) {
          const [k, c] = kv.split(/=(.*)/s);
          if (!k || c === undefined) return bad(`--set ${kv}: expected field=column`);
          mapping.fields[k] = { column: c };
        }
        for (const kv of opts.const ?? []) {
          const [k, c] = kv.split(/=(.*)/s);
          if (!k || c === undefined) return bad(`--const ${kv}: expected field=value`);
          mapping.fields[k] = { value: c };
        }
        const srs = opts.srs ?? 'EPSG:4326';
        const geometry: FieldMapping['geometry'] = [];
        if (opts.wkt) geometry.push({ kind: 'wkt', column: opts.wkt, srs });
        if (opts.x || opts.y) {
          if (!opts.x || !opts.y) return bad('--x and --y go together');
          geometry.push({ kind: 'xy', x: opts.x, y: opts.y, srs });
        }
        if (opts.commune) geometry.push({ kind: 'area', column: opts.commune, areaType: 'COM' });
        if (geometry.length) mapping.geometry = geometry;
        else if (opts.srs) mapping.geometry = mapping.geometry.map((g) => (g.kind === 'wkt' || g.kind === 'xy' ? { ...g, srs } : g));
        if (opts.dateFormat) mapping.dateFormat = opts.dateFormat;
        const r = await cli.call('clean.import', {
          workspace: cli.workspacePath(opts.workspace),
          path,
          read,
          mapping,
          create: opts.create === true,
          ...(opts.title ? { title: opts.title } : {}),
          ...(opts.saveMapping ? { saveMappingAs: opts.saveMapping } : {}),
        });
        cli.exit(printResult(r as Result<ImportReport>, cli.output(), formatImport));
      },
    );

  clean
    .command('check')
    .description('run the checks; findings grouped by check with counts (exit 0 clean, 1 defects found, 2 unreadable)')
    .addOption(workspaceOption())
    .addOption(new Option('-c, --check <id>', 'only this check (repeat)').choices(CheckId.options).argParser(collect))
    .option('--departement <code>', 'observations must fall in this département of the workspace areas (repeat)', collect)
    .option('--taxonomy <file.csv>', 'taxonomy (cd_nom, cd_ref, names) when the workspace has no taxref')
    .option('--today <YYYY-MM-DD>', 'dates after this day are in the future (default: today)')
    .option('--min-year <year>', 'dates before this year are implausible', '1850')
    .option('--tolerance <m>', 'duplicates: same taxon, day and observers within this distance', '10')
    .option('--samples <n>', 'findings listed per check', '20')
    .action(async (opts: { workspace: string; check?: string[]; departement?: string[]; taxonomy?: string; today?: string; minYear: string; tolerance: string; samples: string }) => {
      const r = await cli.call('clean.check', {
        workspace: cli.workspacePath(opts.workspace),
        params: {
          ...(opts.check ? { checks: opts.check as CheckId[] } : {}),
          departements: opts.departement ?? [],
          ...(opts.today ? { today: opts.today } : {}),
          minYear: Number(opts.minYear),
          duplicateToleranceM: Number(opts.tolerance),
        },
        ...(opts.taxonomy ? { taxonomy: resolve(opts.taxonomy) } : {}),
        samples: Number(opts.samples),
      });
      cli.exit(printResult(r as Result<CheckReport>, cli.output(), formatCheck, (v) => !v.clean));
    });

  clean
    .command('findings')
    .description('one page of a check run’s findings (all, one check, or one observation)')
    .addOption(workspaceOption())
    .requiredOption('--run <id>', 'the run id `clean check` printed')
    .addOption(new Option('-c, --check <id>', 'only this check').choices(CheckId.options))
    .option('--fid <n>', 'only this observation')
    .option('--offset <n>', 'skip this many', '0')
    .option('--limit <n>', 'at most this many', '200')
    .action(async (opts: { workspace: string; run: string; check?: CheckId; fid?: string; offset: string; limit: string }) => {
      const r = await cli.call('clean.findings', {
        workspace: cli.workspacePath(opts.workspace),
        runId: opts.run,
        ...(opts.check ? { check: opts.check } : {}),
        ...(opts.fid ? { fid: Number(opts.fid) } : {}),
        offset: Number(opts.offset),
        limit: Number(opts.limit),
      });
      cli.exit(printResult(r as Result<{ total: number; findings: CleanFinding[] }>, cli.output(), formatFindings));
    });

  clean
    .command('fix')
    .description('preview (--dry-run) or apply a bulk fix; every changed value is listed, and `clean undo` reverts it')
    .argument('<kind>', 'repair-mojibake | swap-coordinates | reproject | make-valid | parse-dates | fill-taxon-codes | merge-duplicates | map-values')
    .addOption(workspaceOption())
    .option('--dry-run', 'show every change, write nothing')
    .option('--field <name>', 'repair-mojibake: a column to repair (repeat; default all text); map-values: the column', collect)
    .option('--from <srs>', 'reproject: the system the coordinates are really in, e.g. EPSG:2154')
    .option('--pattern <p>', 'parse-dates: the pattern, e.g. DD/MM/YYYY')
    .option('--map <old=new>', 'map-values: a value and its replacement (repeat; "old=" empties it)', collect)
    .option('--tolerance <m>', 'merge-duplicates: distance', '10')
    .option('--taxonomy <file.csv>', 'fill-taxon-codes: taxonomy when the workspace has no taxref')
    .option('--fids <list>', 'only these observations (comma-separated fids)')
    .option('--offset <n>', 'changes listed from this one', '0')
    .option('--limit <n>', 'changes listed', '1000')
    .action(
      async (
        kind: string,
        opts: { workspace: string; dryRun?: boolean; field?: string[]; from?: string; pattern?: string; map?: string[]; tolerance: string; taxonomy?: string; fids?: string; offset: string; limit: string },
      ) => {
        let fix: FixSpecInput;
        switch (kind) {
          case 'repair-mojibake':
            fix = { kind, ...(opts.field ? { fields: opts.field } : {}) };
            break;
          case 'swap-coordinates':
          case 'make-valid':
          case 'fill-taxon-codes':
            fix = { kind };
            break;
          case 'reproject':
            if (!opts.from) return bad('reproject needs --from EPSG:…');
            fix = { kind, from: opts.from };
            break;
          case 'parse-dates':
            if (!opts.pattern) return bad('parse-dates needs --pattern, e.g. DD/MM/YYYY');
            fix = { kind, pattern: opts.pattern };
            break;
          case 'merge-duplicates':
            fix = { kind, toleranceM: Number(opts.tolerance) };
            break;
          case 'map-values': {
            const field = opts.field?.[0];
            if (!field || !opts.map?.length) return bad('map-values needs --field COLUMN and --map old=new');
            const values: Record<string, string | null> = {};
            for (const kv of opts.map) {
              const [k, to] = kv.split(/=(.*)/s);
              if (k === undefined || to === undefined) return bad(`--map ${kv}: expected old=new`);
              values[k] = to === '' ? null : to;
            }
            fix = { kind, field, values };
            break;
          }
          default:
            return bad(`Unknown fix ${kind}`);
        }
        const input: In<'clean.fix'> = {
          workspace: cli.workspacePath(opts.workspace),
          fix,
          dryRun: opts.dryRun === true,
          offset: Number(opts.offset),
          limit: Number(opts.limit),
          ...(opts.taxonomy ? { taxonomy: resolve(opts.taxonomy) } : {}),
          ...(opts.fids ? { fids: opts.fids.split(',').map(Number) } : {}),
        };
        const r = await cli.call('clean.fix', input);
        cli.exit(printResult(r as Result<FixReport>, cli.output(), formatFix));
      },
    );

  clean
    .command('undo')
    .description('revert the last import or fix not yet undone, exactly')
    .addOption(workspaceOption())
    .action(async (opts: { workspace: string }) => {
      const r = await cli.call('clean.undo', { workspace: cli.workspacePath(opts.workspace) });
      cli.exit(printResult(r as Result<UndoReport>, cli.output(), formatUndo));
    });

  clean
    .command('history')
    .description('the imports and fixes of a workspace, last first')
    .addOption(workspaceOption())
    .action(async (opts: { workspace: string }) => {
      const r = await cli.call('clean.history', { workspace: cli.workspacePath(opts.workspace) });
      cli.exit(printResult(r as Result<{ workspace: string; operations: CleanOperation[] }>, cli.output(), formatHistory));
    });

  clean
    .command('rejected')
    .description('the rows imports kept aside, with their reason and raw text')
    .addOption(workspaceOption())
    .option('--import <id>', 'only this import')
    .option('--offset <n>', 'skip this many', '0')
    .option('--limit <n>', 'at most this many', '200')
    .action(async (opts: { workspace: string; import?: string; offset: string; limit: string }) => {
      const r = await cli.call('clean.rejected', {
        workspace: cli.workspacePath(opts.workspace),
        ...(opts.import ? { importId: Number(opts.import) } : {}),
        offset: Number(opts.offset),
        limit: Number(opts.limit),
      });
      cli.exit(printResult(r as Result<{ total: number; rows: RejectedRow[] }>, cli.output(), formatRejected));
    });

  clean
    .command('export-geonature')
    .description('write the observations as the CSV GeoNature’s import module reads (its field names, `;`, UTF-8)')
    .addOption(workspaceOption())
    .requiredOption('-o, --out <file.csv>', 'CSV to write')
    .option('--codes', 'nomenclatures as SINP codes (default: labels)')
    .option('--overwrite', 'replace an existing file (atomically)')
    .action(async (opts: { workspace: string; out: string; codes?: boolean; overwrite?: boolean }) => {
      const r = await cli.call('clean.exportGeonature', { workspace: cli.workspacePath(opts.workspace), out: resolve(opts.out), overwrite: opts.overwrite === true, nomenclatures: opts.codes ? 'codes' : 'labels' });
      cli.exit(printResult(r as Result<ExportGeoNatureReport>, cli.output(), formatExport));
    });

  clean
    .command('mappings')
    .description('saved and built-in mappings')
    .action(async () => {
      const r = await cli.call('clean.listMappings', {});
      cli.exit(printResult(r as Result<{ mappings: SavedMapping[]; file: string }>, cli.output(), formatMappings));
    });
}

/** A mapping by saved/built-in name, or from a JSON file. */
async function loadMapping(cli: CliContext, nameOrFile: string): Promise<FieldMapping | null> {
  if (nameOrFile.endsWith('.json') && existsSync(resolve(nameOrFile))) {
    return FieldMapping.parse(JSON.parse(readFileSync(resolve(nameOrFile), 'utf8')));
  }
  const r = await cli.call('clean.listMappings', {});
  if (!r.ok) return null;
  return (r.value as { mappings: SavedMapping[] }).mappings.find((m) => m.name === nameOrFile)?.mapping ?? null;
}
