import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import {
  EXIT,
  type In,
  type MergeResult,
  type MetadataExportResult,
  type MetadataHistory,
  type MetadataImportResult,
  type MetadataTree,
  type MetadataValidation,
  type Method,
  type MoveResult,
  type ReassignResult,
  type Result,
  type SplitResult,
  type UndoResult,
} from '../../../shared/contract/index.js';
import type { CliContext } from '../context.js';
import { formatExport, formatHistory, formatImport, formatMerge, formatMove, formatReassign, formatSplit, formatTree, formatUndo, formatValidation } from '../format-metadata.js';
import { printResult } from '../output.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];
type Lang = 'fr' | 'en';

interface WsOpts {
  workspace: string;
  lang?: string;
}

class CliInputError extends Error {}

/**
 * `passerelle metadata list | validate | export | import | split | merge | move | reassign | undo |
 * history`: the metadata domain from the shell. With `-w demo` the engine writes to the demo's
 * working copy in PASSERELLE_HOME (made by the first command that writes; reads use it once it
 * exists). validate exits 1 when it finds errors; a preview (`--dry-run`) writes nothing.
 */
export function registerMetadata(cli: CliContext): void {
  const md = cli.program.command('metadata').description('SINP metadata of a workspace: list, validate, edit the structure (split, merge, move), undo, import and export CA/JDD');

  const lang = (o: WsOpts): Lang => (o.lang === 'en' ? 'en' : 'fr');
  const withWs = (cmd: Command) =>
    cmd.addOption(new Option('-w, --workspace <path>', 'workspace .gpkg, or "demo" (a copy of the bundled demo)').env('PASSERELLE_WORKSPACE').makeOptionMandatory());
  const run = async <M extends Method, T>(method: M, input: In<M>, human: (v: T) => string, findings?: (v: T) => boolean): Promise<void> => {
    const r = await cli.call(method, input);
    cli.exit(printResult(r as Result<T>, cli.output(), human, findings));
  };
  const fail = (e: unknown) => {
    if (!(e instanceof CliInputError)) throw e;
    process.stderr.write(`passerelle: INVALID_INPUT: ${e.message}\n`);
    cli.exit(EXIT.BAD_INPUT);
  };

  withWs(md.command('list'))
    .description('the CA → JDD tree: state, observations, dates, validation counts, what undo would revert')
    .action(async (o: WsOpts) => run<'metadata.tree', MetadataTree>('metadata.tree', { workspace: cli.workspacePath(o.workspace) }, formatTree));

  withWs(md.command('validate'))
    .description('SINP rules on every CA and JDD: field, rule, message and fix (exit 1 when there are errors)')
    .option('--lang <fr|en>', 'language of the messages', 'fr')
    .option('--uuid <uuid>', 'only this CA or JDD (repeat for several)', collect)
    .action(async (o: WsOpts & { uuid?: string[] }) =>
      run<'metadata.validate', MetadataValidation>(
        'metadata.validate',
        { workspace: cli.workspacePath(o.workspace), lang: lang(o), ...(o.uuid ? { uuids: o.uuid } : {}) },
        formatValidation(lang(o)),
        (v) => !v.valid,
      ),
    );

  withWs(md.command('export'))
    .description('write the metadata: mtd (whole set, or --dataset with its CA), iso19139, eml, dcat, schemaorg (one JDD)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['mtd', 'iso19139', 'eml', 'dcat', 'schemaorg']).makeOptionMandatory())
    .option('--dataset <uuid>', 'the JDD (needed for the per-JDD formats when there are several)')
    .requiredOption('-o, --out <file>', 'file to write (atomically)')
    .option('--licence <id>', 'etalab-2.0, CC-BY-4.0, CC0-1.0, CC-BY-NC-4.0 or ODbL-1.0 (default: the workspace’s)')
    .option('--language <fr|en>', 'language of the texts the export writes')
    .option('--landing-page <url>', 'where the JDD is described online')
    .option('--overwrite', 'replace an existing file')
    .action(async (o: WsOpts & { format: string; dataset?: string; out: string; licence?: string; language?: string; landingPage?: string; overwrite?: boolean }) =>
      run<'metadata.export', MetadataExportResult>(
        'metadata.export',
        {
          workspace: cli.workspacePath(o.workspace),
          format: o.format as In<'metadata.export'>['format'],
          ...(o.dataset ? { dataset: o.dataset } : {}),
          out: resolve(o.out),
          overwrite: o.overwrite === true,
          options: {
            ...(o.licence ? { licence: o.licence as NonNullable<NonNullable<In<'metadata.export'>['options']>['licence']> } : {}),
            ...(o.language ? { language: o.language === 'en' ? ('en' as const) : ('fr' as const) } : {}),
            ...(o.landingPage ? { landingPage: o.landingPage } : {}),
          },
        },
        formatExport,
      ),
    );

  withWs(md.command('import'))
    .description('merge an MTD, EML or ISO 19139 file into the workspace (a field the file leaves empty is kept)')
    .argument('<file>', 'metadata file')
    .option('--dry-run', 'show what would change, write nothing')
    .option('--lang <fr|en>', 'language of the notes', 'fr')
    .action(async (file: string, o: WsOpts & { dryRun?: boolean }) =>
      run<'metadata.import', MetadataImportResult>(
        'metadata.import',
        { workspace: cli.workspacePath(o.workspace), file: resolve(file), dryRun: o.dryRun === true, lang: lang(o) },
        formatImport(lang(o)),
      ),
    );

  withWs(md.command('split'))
    .description('split a JDD into one JDD per value of --by, then move its observations (preview with --dry-run)')
    .option('--dataset <uuid>', 'the JDD to split (default: the only JDD of the workspace)')
    .addOption(new Option('--by <criterion>', 'what to split by').choices(['year', 'period', 'observer', 'observers', 'taxon-group', 'protocol', 'producer', 'attribute']).makeOptionMandatory())
    .option('--period <from..to[=label]>', 'with --by period: a date range, e.g. 2010-01-01..2014-12-31=Avant 2015 (repeat)', collect)
    .option('--level <level>', 'with --by taxon-group: regne, phylum, classe, ordre, famille, group1_inpn, group2_inpn, group3_inpn', 'group2_inpn')
    .option('--column <name>', 'with --by attribute: the observation column')
    .option('--min <n>', 'groups with fewer observations go together into one "autres" JDD', '1')
    .option('--keep <key>', 'a group key that stays in the parent JDD (repeat)', collect)
    .option('--deactivate-parent', 'set the parent JDD inactive when it ends up empty')
    .option('--dry-run', 'preview the new JDD and their counts, write nothing')
    .option('--lang <fr|en>', 'language of the derived names and descriptions', 'fr')
    .action(async (o: WsOpts & { dataset?: string; by: string; period?: string[]; level: string; column?: string; min: string; keep?: string[]; deactivateParent?: boolean; dryRun?: boolean }) => {
      try {
        const path = cli.workspacePath(o.workspace);
        const dataset = o.dataset ?? (await onlyDataset(path));
        await run<'metadata.split', SplitResult>(
          'metadata.split',
          {
            workspace: path,
            dataset,
            by: splitBy(o),
            minObservations: Number(o.min),
            keepInParent: o.keep ?? [],
            deactivateParent: o.deactivateParent === true,
            dryRun: o.dryRun === true,
            lang: lang(o),
          },
          formatSplit,
        );
      } catch (e) {
        fail(e);
      }
    });

  withWs(md.command('merge'))
    .description('move the observations of --dataset JDD into --into; sources made here are deleted, the others deactivated')
    .requiredOption('--into <uuid>', 'the JDD that receives the observations')
    .option('--dataset <uuid>', 'a JDD to merge into it (repeat)', collect)
    .option('--keep-sources', 'leave the emptied JDD of the server active')
    .option('--dry-run', 'preview, write nothing')
    .action(async (o: WsOpts & { into: string; dataset?: string[]; keepSources?: boolean; dryRun?: boolean }) => {
      if (!o.dataset?.length) return fail(new CliInputError('give at least one --dataset to merge'));
      await run<'metadata.merge', MergeResult>(
        'metadata.merge',
        { workspace: cli.workspacePath(o.workspace), into: o.into, datasets: o.dataset, deactivate: o.keepSources !== true, dryRun: o.dryRun === true },
        formatMerge,
      );
    });

  withWs(md.command('move'))
    .description('move JDD to another CA')
    .option('--dataset <uuid>', 'a JDD to move (repeat)', collect)
    .requiredOption('--ca <uuid>', 'the CA they go to')
    .option('--dry-run', 'preview, write nothing')
    .action(async (o: WsOpts & { dataset?: string[]; ca: string; dryRun?: boolean }) => {
      if (!o.dataset?.length) return fail(new CliInputError('give at least one --dataset to move'));
      await run<'metadata.move', MoveResult>(
        'metadata.move',
        { workspace: cli.workspacePath(o.workspace), datasets: o.dataset, framework: o.ca, dryRun: o.dryRun === true },
        formatMove,
      );
    });

  withWs(md.command('reassign'))
    .description('move the observations matched by a filter to a JDD')
    .requiredOption('--into <uuid>', 'the JDD they go to')
    .option('--jdd <uuid>', 'observations of this JDD (repeat)', collect)
    .option('--taxon <cd_nom>', 'this taxon, its descendants and synonyms (repeat)', collect)
    .option('--from <date>', 'observed from this day (YYYY-MM-DD, date_min)')
    .option('--until <date>', 'observed up to this day included')
    .option('--observer <name>', 'one of the observers is this person (repeat)', collect)
    .option('--where <column=value>', 'an observation column equals a value (repeat)', collect)
    .option('--dry-run', 'preview, write nothing')
    .action(async (o: WsOpts & { into: string; jdd?: string[]; taxon?: string[]; from?: string; until?: string; observer?: string[]; where?: string[]; dryRun?: boolean }) => {
      try {
        const attributes = (o.where ?? []).map((w) => {
          const i = w.indexOf('=');
          if (i <= 0) throw new CliInputError(`--where takes column=value, not ${w}`);
          return { column: w.slice(0, i), op: 'eq' as const, value: w.slice(i + 1) };
        });
        await run<'metadata.reassign', ReassignResult>(
          'metadata.reassign',
          {
            workspace: cli.workspacePath(o.workspace),
            to: o.into,
            filter: {
              datasets: o.jdd ?? [],
              taxa: (o.taxon ?? []).map(Number),
              dateFrom: o.from ?? null,
              dateTo: o.until ?? null,
              observers: o.observer ?? [],
              attributes,
            },
            dryRun: o.dryRun === true,
          },
          formatReassign,
        );
      } catch (e) {
        fail(e);
      }
    });

  withWs(md.command('undo'))
    .description('undo the last metadata operation exactly (refused once pushed, or when changed again since)')
    .option('--dry-run', 'say which operation undo would revert')
    .action(async (o: WsOpts & { dryRun?: boolean }) =>
      run<'metadata.undo', UndoResult>('metadata.undo', { workspace: cli.workspacePath(o.workspace), dryRun: o.dryRun === true }, formatUndo),
    );

  withWs(md.command('history'))
    .description('the metadata operations, newest first')
    .option('--limit <n>', 'how many', '50')
    .action(async (o: WsOpts & { limit: string }) =>
      run<'metadata.history', MetadataHistory>('metadata.history', { workspace: cli.workspacePath(o.workspace), limit: Number(o.limit) }, formatHistory),
    );

  /** The workspace's only JDD, for `split` without --dataset. */
  async function onlyDataset(path: string): Promise<string> {
    const r = await cli.call('metadata.tree', { workspace: path });
    if (!r.ok) throw new CliInputError(r.error.message);
    const t = r.value as MetadataTree;
    const all = [...t.frameworks.flatMap((f) => f.datasets), ...t.orphans];
    const uuids = [...new Set(all.map((d) => d.uuid))];
    if (uuids.length !== 1) throw new CliInputError(`the workspace has ${uuids.length} JDD: say which one to split (--dataset UUID)`);
    return uuids[0] as string;
  }
}

function splitBy(o: { by: string; period?: string[]; level: string; column?: string }): In<'metadata.split'>['by'] {
  switch (o.by) {
    case 'year':
    case 'protocol':
    case 'producer':
      return { kind: o.by };
    case 'observer':
      return { kind: 'observer', mode: 'first' };
    case 'observers':
      return { kind: 'observer', mode: 'all' };
    case 'taxon-group':
      return { kind: 'taxonGroup', level: o.level as 'group2_inpn' };
    case 'attribute':
      if (!o.column) throw new CliInputError('--by attribute needs --column');
      return { kind: 'attribute', column: o.column };
    case 'period': {
      if (!o.period?.length) throw new CliInputError('--by period needs at least one --period from..to');
      return {
        kind: 'period',
        periods: o.period.map((p) => {
          const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})(?:=(.+))?$/.exec(p);
          if (!m) throw new CliInputError(`--period takes YYYY-MM-DD..YYYY-MM-DD[=label], not ${p}`);
          return { from: m[1] as string, to: m[2] as string, ...(m[3] ? { label: m[3] } : {}) };
        }),
      };
    }
    default:
      throw new CliInputError(`unknown --by ${o.by}`);
  }
}
