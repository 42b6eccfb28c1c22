import { userInfo } from 'node:os';
import type Database from 'better-sqlite3';
import { localRules } from '../../../shared/sensitivity/index.js';
import type { Handlers } from '../dispatch.js';
import { AppError } from '../errors.js';
import { sensitivityReferentials, sensitivityReport, sensitivityRules } from '../sensitivity/queries.js';
import { addLocalRule, listOverrides, removeLocalRule, removeReferential, ruleView } from '../sensitivity/store.js';
import { workspaceToRead, workspaceToWrite } from '../workspace/demo-copy.js';
import { openWorkspace } from '../workspace/open.js';
import type { HandlerDeps } from './deps.js';
import { runAsJob } from './workspace.js';

type SensitivityHandlers = Pick<
  Handlers,
  | 'sensitivity.load'
  | 'sensitivity.referentials'
  | 'sensitivity.removeReferential'
  | 'sensitivity.rules'
  | 'sensitivity.addLocalRule'
  | 'sensitivity.removeLocalRule'
  | 'sensitivity.check'
  | 'sensitivity.report'
  | 'sensitivity.explain'
  | 'sensitivity.overrides'
  | 'sensitivity.addOverride'
  | 'sensitivity.removeOverride'
>;

/** Who a change is recorded as (the OS user: Passerelle has no accounts of its own). */
function actor(): string {
  try {
    return userInfo().username || 'passerelle';
  } catch {
    return 'passerelle';
  }
}

/**
 * The sensitivity domain. Load, check, explain and overrides run as jobs (a job process in the
 * app and web host); listing, the report and local rules are quick calls. The bundled demo is
 * never written: writes go to its copy in PASSERELLE_HOME (workspace/demo-copy.ts), which reads
 * then use. After a write the map's cached tiles of that workspace are dropped.
 */
export function sensitivityHandlers(deps: HandlerDeps): SensitivityHandlers {
  const toRead = (p: string) => workspaceToRead(p, deps.home, deps.demoPath);
  const toWrite = (p: string) => workspaceToWrite(p, deps.home, deps.demoPath);
  const read = <T>(path: string, fn: (db: Database.Database, path: string) => T): T => {
    const file = toRead(path);
    const ws = openWorkspace(file);
    try {
      return fn(ws.db, file);
    } finally {
      ws.close();
    }
  };
  const write = <T>(path: string, fn: (db: Database.Database, path: string) => T): T => {
    const file = toWrite(path);
    const ws = openWorkspace(file, { write: true });
    try {
      return ws.db.transaction(() => fn(ws.db, file)).immediate();
    } finally {
      ws.close();
      deps.sources.refresh(file);
    }
  };
  /** Runs a writing task on the workspace's writable file, then drops the map's caches of it. */
  const writeJob = async <R>(path: string, run: (file: string) => Promise<R>): Promise<R> => {
    const file = toWrite(path);
    try {
      return await run(file);
    } finally {
      deps.sources.refresh(file);
    }
  };
  return {
    'sensitivity.load': (input, ctx) =>
      writeJob(input.workspace, (workspace) =>
        runAsJob(deps, ctx, 'sensitivity.load', 'sensitivity.load', { workspace, path: input.path, kind: input.kind, name: input.name, version: input.version, actor: actor() }),
      ),
    'sensitivity.referentials': async (input) => read(input.workspace, (db, file) => sensitivityReferentials(db, file)),
    'sensitivity.removeReferential': async (input) => write(input.workspace, (db, file) => ({ workspace: file, removed: removeReferential(db, input.id, actor()) })),
    'sensitivity.rules': async (input) =>
      read(input.workspace, (db, file) => ({
        workspace: file,
        ...sensitivityRules(db, { source: input.source, referentialId: input.referentialId, cdNom: input.cdNom, offset: input.offset, limit: input.limit }),
      })),
    'sensitivity.addLocalRule': async (input) => {
      const parsed = localRules({ name: input.ruleSet, rules: [input.rule] });
      const problem = parsed.errors[0];
      const rule = parsed.rules[0];
      if (problem || !rule) {
        const problems = (problem?.problems ?? ['not a rule']).map((p) => (typeof p === 'string' ? p : p.message)).join('; ');
        throw new AppError('INVALID_INPUT', `Local rule ${input.rule.id}: ${problems}`, { key: 'errors.SENSITIVITY_LOCAL_RULE_INVALID', params: { id: input.rule.id, problems } });
      }
      return write(input.workspace, (db, file) => {
        const r = addLocalRule(db, rule, input.ruleSet, actor());
        return { workspace: file, rule: ruleView(r.rule), referential: r.referential };
      });
    },
    'sensitivity.removeLocalRule': async (input) => write(input.workspace, (db, file) => ({ workspace: file, removed: ruleView(removeLocalRule(db, input.id, actor())) })),
    'sensitivity.check': (input, ctx) => {
      // The files to load are nested, out of the dispatcher's reach: the same policy, here.
      for (const l of input.load) {
        if (!ctx.paths.allows(l.path)) {
          throw new AppError('PATH_NOT_ALLOWED', `${l.path} was not opened or chosen by the user in this session`, { key: 'errors.PATH_NOT_ALLOWED', params: { path: l.path }, where: l.path });
        }
      }
      return writeJob(input.workspace, (workspace) =>
        runAsJob(deps, ctx, 'sensitivity.check', 'sensitivity.check', {
          workspace,
          actor: actor(),
          sources: input.sources,
          referentialIds: input.referentialIds,
          asOf: input.asOf,
          unmatchedTaxon: input.unmatchedTaxon,
          propagation: input.propagation,
          territory: input.territory,
          lang: input.lang,
          load: input.load,
          observations: input.observations,
        }),
      );
    },
    'sensitivity.report': async (input) =>
      read(input.workspace, (db, file) =>
        sensitivityReport(db, file, {
          level: input.level,
          blurLevel: input.blurLevel,
          reason: input.reason,
          cdNom: input.cdNom,
          datasetUuid: input.datasetUuid,
          sensitiveOnly: input.sensitiveOnly,
          offset: input.offset,
          limit: input.limit,
        }),
      ),
    'sensitivity.explain': (input, ctx) =>
      runAsJob(deps, ctx, 'sensitivity.explain', 'sensitivity.explain', { workspace: toRead(input.workspace), uuid: input.uuid, asOf: input.asOf, sources: input.sources, lang: input.lang }),
    'sensitivity.overrides': async (input) => read(input.workspace, (db, file) => ({ workspace: file, overrides: listOverrides(db, input.includeRemoved) })),
    'sensitivity.addOverride': (input, ctx) =>
      writeJob(input.workspace, (workspace) =>
        runAsJob(deps, ctx, 'sensitivity.addOverride', 'sensitivity.addOverride', {
          workspace,
          actor: actor(),
          target: input.target,
          level: input.level,
          justification: input.justification,
          author: input.author,
          recheck: input.recheck,
        }),
      ),
    'sensitivity.removeOverride': (input, ctx) =>
      writeJob(input.workspace, (workspace) =>
        runAsJob(deps, ctx, 'sensitivity.removeOverride', 'sensitivity.removeOverride', {
          workspace,
          actor: actor(),
          id: input.id,
          justification: input.justification,
          recheck: input.recheck,
        }),
      ),
  };
}
