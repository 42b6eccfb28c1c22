import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Handlers } from '../dispatch.js';
import { AppError } from '../errors.js';
import { browseGeoNature } from '../geonature/browse.js';
import { createDataset, editField, reassignObservations, resolveConflict, workspaceGeoNature } from '../geonature/changes.js';
import { resolveConnection } from '../geonature/connection.js';
import { estimatePull } from '../geonature/filters.js';
import { listJournal } from '../geonature/pending.js';
import { deleteProfile, listProfiles, profilesPath, saveProfile } from '../geonature/profiles.js';
import { testConnection } from '../geonature/test-connection.js';
import { openWorkspace } from '../workspace/open.js';
import type { HandlerDeps } from './deps.js';
import { runAsJob } from './workspace.js';

type GeoNatureHandlers = Pick<
  Handlers,
  | 'geonature.listProfiles'
  | 'geonature.saveProfile'
  | 'geonature.deleteProfile'
  | 'geonature.test'
  | 'geonature.browse'
  | 'geonature.estimate'
  | 'geonature.pull'
  | 'geonature.workspace'
  | 'geonature.editField'
  | 'geonature.createDataset'
  | 'geonature.reassignObservations'
  | 'geonature.journal'
  | 'geonature.resolveConflict'
  | 'geonature.push'
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
 * The GeoNature domain. Pull and push run as jobs (progress, cancel; a job process in the app
 * and web host); the rest are quick calls. The bundled demo is never written to.
 */
export function geonatureHandlers(deps: HandlerDeps): GeoNatureHandlers {
  const writable = (path: string): string => {
    if (resolve(path) === resolve(deps.demoPath)) {
      throw new AppError('PATH_NOT_ALLOWED', `The bundled demo ${path} is read-only: pull into a new workspace to change metadata`, {
        key: 'errors.GN_DEMO_READ_ONLY',
        params: { path },
        where: path,
      });
    }
    return path;
  };
  const profiles = () => ({ profiles: listProfiles(deps.home), file: profilesPath(deps.home) });
  return {
    'geonature.listProfiles': async () => profiles(),
    'geonature.saveProfile': async (input) => {
      await saveProfile(deps.home, input.profile);
      return profiles();
    },
    'geonature.deleteProfile': async (input) => {
      await deleteProfile(deps.home, input.name);
      return profiles();
    },
    'geonature.test': async (input) => testConnection(resolveConnection(input.connection, deps.home), input.timeoutMs),
    'geonature.browse': async (input) => browseGeoNature(resolveConnection(input.connection, deps.home)),
    'geonature.estimate': async (input) => estimatePull(resolveConnection(input.connection, deps.home), input.filters),
    'geonature.pull': (input, ctx) =>
      runAsJob(deps, ctx, 'geonature.pull', 'geonature.pull', {
        connection: resolveConnection(input.connection, deps.home),
        filters: input.filters,
        out: input.out === undefined ? undefined : writable(input.out),
        workspace: input.workspace === undefined ? undefined : writable(input.workspace),
        title: input.title,
        overwrite: input.overwrite,
        actor: actor(),
      }),
    'geonature.workspace': async (input) => workspaceGeoNature(input.workspace),
    'geonature.editField': async (input) => editField(writable(input.workspace), input.entity, input.uuid, input.field, input.value, actor()),
    'geonature.createDataset': async (input) =>
      createDataset(writable(input.workspace), { framework: input.framework, uuid: input.uuid, copyFrom: input.copyFrom, values: input.values }, actor()),
    'geonature.reassignObservations': async (input) =>
      reassignObservations(writable(input.workspace), { dataset: input.dataset, observations: input.observations, fromDataset: input.fromDataset }, actor()),
    'geonature.journal': async (input) => {
      const ws = openWorkspace(input.workspace);
      try {
        return { changes: listJournal(ws.db, input.state === 'all') };
      } finally {
        ws.close();
      }
    },
    'geonature.resolveConflict': async (input) => resolveConflict(writable(input.workspace), input.conflict, input.keep, actor()),
    'geonature.push': (input, ctx) =>
      runAsJob(deps, ctx, 'geonature.push', 'geonature.push', {
        connection: resolveConnection(input.connection, deps.home),
        workspace: writable(input.workspace),
        dryRun: input.dryRun,
        actor: actor(),
      }),
  };
}
