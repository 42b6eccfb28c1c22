import { resolve } from 'node:path';
import { Option } from 'commander';
import {
  EXIT,
  type In,
  type Result,
  type SensitivityCheckReport,
  type SensitivityExplanation,
  type SensitivityLoadReport,
  type SensitivityOverrideResult,
  type SensitivityOverrideView,
  type SensitivityReferentials,
  type SensitivityReport,
} from '../../../shared/contract/index.js';
import type { CliContext } from '../context.js';
import { checkNeedsAttention, formatCheck, formatExplain, formatLoad, formatOverride, formatOverrides, formatReferentials, formatReport } from '../format-sensitivity.js';
import { printResult } from '../output.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];
const KINDS = ['auto', 'referential', 'local-rules', 'taxonomy'] as const;
const SOURCES = ['pulled', 'files', 'local'] as const;

class OptionError extends Error {}

function int(name: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new OptionError(`${name} takes a whole number from ${min} to ${max}, not "${v}"`);
  return n;
}

function date(name: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new OptionError(`${name} takes a date YYYY-MM-DD, not "${v}"`);
  return v;
}

/**
 * `passerelle sensitivity load | check | explain | override | report | referentials | overrides`:
 * the sensitivity domain from the shell (docs/cli.md). `-w demo` works on the demo's copy in
 * PASSERELLE_HOME (the bundled demo is never modified).
 *
 * Exit codes: `check` (and `override`, which runs it again) exits 1 when the check found what
 * needs the user's attention — observations of a taxon the taxonomy does not know (withheld by
 * default: a possible leak), without taxon, whose area was not found (withheld), or rules left out
 * as invalid —; `load` exits 1 when the file had bad lines. 2 for unreadable or invalid input.
 */
export function registerSensitivity(cli: CliContext): void {
  const sens = cli.program.command('sensitivity').description('SINP sensitivity: load referentials, check, explain, override, report');
  const ws = () => new Option('-w, --workspace <path>', 'workspace .gpkg, or "demo" (its copy in PASSERELLE_HOME)').env('PASSERELLE_WORKSPACE').makeOptionMandatory();
  const badInput = (e: unknown): void => {
    if (!(e instanceof OptionError)) throw e;
    process.stderr.write(`passerelle: INVALID_INPUT: ${e.message}\n`);
    cli.exit(EXIT.BAD_INPUT);
  };

  sens
    .command('load')
    .description('load a SINP referential (v13 or v18 CSV), a local rules JSON file or a taxonomy CSV into the workspace; exit 1 when lines were rejected')
    .argument('<file>', 'file to load')
    .addOption(ws())
    .addOption(new Option('--kind <kind>', 'what the file is (default: from its extension and header)').choices(KINDS).default('auto'))
    .option('--name <name>', 'referential name (default: the file name)')
    .option('--ref-version <version>', 'referential version (default: the number in the file name)')
    .action(async (file: string, opts: { workspace: string; kind: (typeof KINDS)[number]; name?: string; refVersion?: string }) => {
      const r = await cli.call('sensitivity.load', {
        workspace: cli.workspacePath(opts.workspace),
        path: resolve(file),
        kind: opts.kind,
        ...(opts.name ? { name: opts.name } : {}),
        ...(opts.refVersion ? { version: opts.refVersion } : {}),
      });
      cli.exit(printResult(r as Result<SensitivityLoadReport>, cli.output(), formatLoad, (v) => v.errors.length > 0));
    });

  sens
    .command('check')
    .description('check every observation (level, blurring, Darwin Core terms) and store the results; --json gives the counts by level and the level of every observation; exit 1 when unmatched taxa, areas not found or invalid rules need a look')
    .addOption(ws())
    .option('--referential <file>', 'load this file first (referential, local rules or taxonomy; repeat for several)', collect)
    .option('--taxonomy <file>', 'load this taxonomy CSV first (cd_nom, cd_ref, cd_taxsup…; repeat for several)', collect)
    .option('--as-of <date>', 'day durations are counted to (YYYY-MM-DD; default: today)')
    .option('--sources <list>', `rule sources, comma-separated: ${SOURCES.join(', ')} (default: all)`)
    .option('--referential-id <id>', 'only this loaded referential (repeat for several; see `sensitivity referentials`)', collect)
    .addOption(new Option('--territory <id>', 'grid and projected system (default: from the local SRID)').choices(['FXX', 'GLP', 'MTQ', 'GUF', 'REU', 'MYT']))
    .addOption(new Option('--unmatched <policy>', 'observations of a taxon the taxonomy does not know').choices(['withhold', 'evaluate']).default('withhold'))
    .addOption(
      new Option('--propagation <mode>', 'a sensitive observation blurs the others at its site (within 1e-5°, any date) and in its relevé, in its relevé only, or none')
        .choices(['site+releve', 'releve', 'off'])
        .default('site+releve'),
    )
    .addOption(new Option('--lang <lang>', 'language of the Darwin Core texts').choices(['en', 'fr']).default('en'))
    .action(
      async (opts: {
        workspace: string;
        referential?: string[];
        taxonomy?: string[];
        asOf?: string;
        sources?: string;
        referentialId?: string[];
        territory?: 'FXX' | 'GLP' | 'MTQ' | 'GUF' | 'REU' | 'MYT';
        unmatched: 'withhold' | 'evaluate';
        propagation: 'site+releve' | 'releve' | 'off';
        lang: 'en' | 'fr';
      }) => {
        let input: In<'sensitivity.check'>;
        try {
          const sources = opts.sources?.split(',').map((s) => s.trim());
          const unknown = sources?.find((s) => !(SOURCES as readonly string[]).includes(s));
          if (unknown !== undefined) throw new OptionError(`--sources takes ${SOURCES.join(', ')}, not "${unknown}"`);
          input = {
            workspace: cli.workspacePath(opts.workspace),
            load: [...(opts.referential ?? []).map((f) => ({ path: resolve(f), kind: 'auto' as const })), ...(opts.taxonomy ?? []).map((f) => ({ path: resolve(f), kind: 'taxonomy' as const }))],
            ...(sources ? { sources: sources as (typeof SOURCES)[number][] } : {}),
            ...(opts.referentialId ? { referentialIds: opts.referentialId.map((v) => int('--referential-id', v, 1, Number.MAX_SAFE_INTEGER)) } : {}),
            ...(opts.asOf ? { asOf: date('--as-of', opts.asOf) } : {}),
            ...(opts.territory ? { territory: opts.territory } : {}),
            unmatchedTaxon: opts.unmatched,
            propagation: opts.propagation,
            lang: opts.lang,
            observations: cli.output().json,
          };
        } catch (e) {
          badInput(e);
          return;
        }
        const r = await cli.call('sensitivity.check', input);
        cli.exit(printResult(r as Result<SensitivityCheckReport>, cli.output(), formatCheck, (v) => checkNeedsAttention(v.check) || v.loaded.some((l) => l.errors.length > 0)));
      },
    );

  sens
    .command('explain')
    .description('why one observation has its level: taxon resolution, every matching rule, override, blurring, what is published')
    .argument('<uuid>', 'the observation (unique_id_sinp)')
    .addOption(ws())
    .option('--as-of <date>', 'evaluate on this day (default: the last check’s)')
    .addOption(new Option('--lang <lang>', 'language of the Darwin Core texts').choices(['en', 'fr']).default('en'))
    .action(async (uuid: string, opts: { workspace: string; asOf?: string; lang: 'en' | 'fr' }) => {
      let asOf: string | undefined;
      try {
        asOf = date('--as-of', opts.asOf);
      } catch (e) {
        badInput(e);
        return;
      }
      const r = await cli.call('sensitivity.explain', { workspace: cli.workspacePath(opts.workspace), uuid, lang: opts.lang, ...(asOf ? { asOf } : {}) });
      cli.exit(printResult(r as Result<SensitivityExplanation>, cli.output(), formatExplain));
    });

  sens
    .command('override')
    .description('set the level of one observation (UUID) or of those a filter selects, with a justification (mandatory; kept in the audit log), or remove one (--remove ID); the last check is run again')
    .argument('[uuid]', 'the observation (unique_id_sinp); omit it to override by filter')
    .addOption(ws())
    .option('--level <n>', 'SENSIBILITE level 0–4 to set')
    .option('--why <text>', 'the justification (mandatory)')
    .option('--author <name>', 'who decides (default: the system user)')
    .option('--taxon <cd_nom>', 'filter: this taxon (repeat for several)', collect)
    .option('--jdd <uuid>', 'filter: this JDD (repeat for several)', collect)
    .option('--from <date>', 'filter: date_min on or after (YYYY-MM-DD)')
    .option('--to <date>', 'filter: date_min on or before (YYYY-MM-DD)')
    .option('--area <TYPE:CODE>', 'filter: in this area, e.g. COM:05101 (repeat for several)', collect)
    .option('--remove <id>', 'remove this override instead (with --why)')
    .option('--no-recheck', 'do not run the last check again')
    .action(
      async (
        uuid: string | undefined,
        opts: { workspace: string; level?: string; why?: string; author?: string; taxon?: string[]; jdd?: string[]; from?: string; to?: string; area?: string[]; remove?: string; recheck: boolean },
      ) => {
        const workspace = cli.workspacePath(opts.workspace);
        let r: Result<unknown>;
        try {
          if (opts.remove) {
            r = await cli.call('sensitivity.removeOverride', { workspace, id: opts.remove, justification: opts.why ?? '', recheck: opts.recheck });
          } else {
            if (opts.level === undefined) throw new OptionError('--level is required (0–4)');
            const level = int('--level', opts.level, 0, 4);
            const filter = {
              ...(opts.taxon ? { cdNoms: opts.taxon.map((t) => int('--taxon', t, 1, Number.MAX_SAFE_INTEGER)) } : {}),
              ...(opts.jdd ? { datasetUuids: opts.jdd } : {}),
              ...(opts.from ? { dateFrom: date('--from', opts.from) } : {}),
              ...(opts.to ? { dateTo: date('--to', opts.to) } : {}),
              ...(opts.area
                ? {
                    areas: opts.area.map((a) => {
                      const i = a.indexOf(':');
                      if (i <= 0) throw new OptionError(`--area takes TYPE:CODE (e.g. COM:05101), not "${a}"`);
                      return { type: a.slice(0, i), code: a.slice(i + 1) };
                    }),
                  }
                : {}),
            };
            if (uuid && Object.keys(filter).length > 0) throw new OptionError('give either a UUID or filter options, not both');
            if (!uuid && Object.keys(filter).length === 0) throw new OptionError('give an observation UUID, or filter options (--taxon, --jdd, --from, --to, --area)');
            r = await cli.call('sensitivity.addOverride', {
              workspace,
              target: uuid ? { kind: 'observation', uuid } : { kind: 'filter', filter },
              level,
              justification: opts.why ?? '',
              recheck: opts.recheck,
              ...(opts.author ? { author: opts.author } : {}),
            });
          }
        } catch (e) {
          badInput(e);
          return;
        }
        cli.exit(printResult(r as Result<SensitivityOverrideResult>, cli.output(), formatOverride, (v) => (v.check ? checkNeedsAttention(v.check) : false)));
      },
    );

  sens
    .command('report')
    .description('the last check: counts by level, taxon and JDD, and the sensitive observations with the rule that made them so')
    .addOption(ws())
    .option('--level <n>', 'only observations of this SENSIBILITE level')
    .option('--blur <n>', 'only observations published at this blurring (0 precise … 4 withheld)')
    .option('--taxon <cd_nom>', 'only this taxon')
    .option('--jdd <uuid>', 'only this JDD')
    .option('--all', 'every observation, not only the sensitive, degraded or unmatched ones')
    .option('--limit <n>', 'observations listed', '200')
    .option('--offset <n>', 'skip this many', '0')
    .action(async (opts: { workspace: string; level?: string; blur?: string; taxon?: string; jdd?: string; all?: boolean; limit: string; offset: string }) => {
      let input: In<'sensitivity.report'>;
      try {
        input = {
          workspace: cli.workspacePath(opts.workspace),
          sensitiveOnly: opts.all !== true,
          limit: int('--limit', opts.limit, 0, 5000),
          offset: int('--offset', opts.offset, 0, Number.MAX_SAFE_INTEGER),
          ...(opts.level !== undefined ? { level: int('--level', opts.level, 0, 4) } : {}),
          ...(opts.blur !== undefined ? { blurLevel: int('--blur', opts.blur, 0, 4) } : {}),
          ...(opts.taxon !== undefined ? { cdNom: int('--taxon', opts.taxon, 1, Number.MAX_SAFE_INTEGER) } : {}),
          ...(opts.jdd ? { datasetUuid: opts.jdd } : {}),
        };
      } catch (e) {
        badInput(e);
        return;
      }
      const r = await cli.call('sensitivity.report', input);
      cli.exit(printResult(r as Result<SensitivityReport>, cli.output(), formatReport));
    });

  sens
    .command('referentials')
    .description('the referentials, local rule sets and taxonomies loaded, and the pulled GeoNature rules')
    .addOption(ws())
    .action(async (opts: { workspace: string }) => {
      const r = await cli.call('sensitivity.referentials', { workspace: cli.workspacePath(opts.workspace) });
      cli.exit(printResult(r as Result<SensitivityReferentials>, cli.output(), formatReferentials));
    });

  sens
    .command('overrides')
    .description('the manual decisions of the workspace, with their justification')
    .addOption(ws())
    .option('--all', 'removed ones too')
    .action(async (opts: { workspace: string; all?: boolean }) => {
      const r = await cli.call('sensitivity.overrides', { workspace: cli.workspacePath(opts.workspace), includeRemoved: opts.all === true });
      cli.exit(printResult(r as Result<{ workspace: string; overrides: SensitivityOverrideView[] }>, cli.output(), formatOverrides));
    });
}
