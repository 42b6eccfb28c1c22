/**
 * Pure helpers of the publish step (issue 9): what a call does, whether it sends the dataset
 * private, the per-file progress read from `job.progress`, the secret a profile needs, and the
 * profile form. No React, no engine: tested in format.test.ts.
 */
import type { PublishCallView, PublishProfileList } from '../../../shared/contract/index.js';
import { parsePublishProgress, type PublishPhase } from '../../../shared/publish/progress.js';
import type { PublishProfile, PublishProfileInput, PublishTarget, UdataFrequency } from '../../../shared/publish/profiles.js';

export type ListedProfile = PublishProfileList['profiles'][number];

/**
 * The `private` flag a call sends (a dataset created or updated), or null when the call carries
 * none: the UI shows it on every such call, so that "nothing goes public before the explicit
 * step" can be seen before anything is sent.
 */
export function privateFlag(call: PublishCallView): boolean | null {
  if (call.body.kind !== 'json') return null;
  const json = call.body.json;
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('private' in json)) return null;
  const v = (json as Record<string, unknown>).private;
  return typeof v === 'boolean' ? v : null;
}

/** One bundle file's progress, as the last `job.progress` event about it said. */
export interface FileRow {
  readonly path: string;
  readonly index: number;
  readonly count: number;
  readonly sent: number;
  readonly bytes: number;
  /** `upload` while its bytes go, `metadata` once they all went (its title and checksum set). */
  readonly phase: PublishPhase;
}

/** What the UI knows of a running publication: its phase and every file seen so far. */
export interface RunProgress {
  readonly phase: PublishPhase | null;
  readonly files: readonly FileRow[];
}

export const NO_PROGRESS: RunProgress = { phase: null, files: [] };

/** The progress after one `job.progress` message (a message of another shape changes nothing). */
export function applyProgress(state: RunProgress, message: string): RunProgress {
  const p = parsePublishProgress(message);
  if (!p) return state;
  if (!p.file) return { ...state, phase: p.phase };
  const f = p.file;
  const row: FileRow = { path: f.path, index: f.index, count: f.count, sent: f.sent, bytes: f.bytes, phase: p.phase };
  const others = state.files.filter((x) => x.path !== f.path);
  return { phase: p.phase, files: [...others, row].sort((a, b) => a.index - b.index) };
}

/** A file is sent once all its bytes went. */
export const fileDone = (f: FileRow): boolean => f.sent >= f.bytes;

/** Files sent and files to send (null before the first file's event: the count is not known yet). */
export function overall(state: RunProgress): { done: number; total: number } | null {
  const first = state.files[0];
  if (!first) return null;
  return { done: state.files.filter(fileDone).length, total: first.count };
}

/** The secret a target authenticates with. */
export const secretKind = (target: PublishTarget): 'apiKey' | 'password' => (target === 'datagouv' ? 'apiKey' : 'password');

/** The `credentials` of a call: the secret under the field the target reads (none: empty). */
export function credentialsFor(target: PublishTarget, secret: string | null): { apiKey?: string; password?: string } {
  if (!secret) return {};
  return target === 'datagouv' ? { apiKey: secret } : { password: secret };
}

/** The profile form: what a user edits (never the secret). */
export interface ProfileForm {
  name: string;
  target: PublishTarget;
  baseUrl: string;
  organization: string;
  frequency: UdataFrequency;
  user: string;
  group: string;
}

export const EMPTY_FORM: ProfileForm = { name: '', target: 'datagouv', baseUrl: '', organization: '', frequency: 'irregular', user: '', group: '' };

export function formOf(p: PublishProfile): ProfileForm {
  return { name: p.name, target: p.target, baseUrl: p.baseUrl, organization: p.organization ?? '', frequency: p.frequency, user: p.user ?? '', group: p.group ?? '' };
}

const orNull = (s: string): string | null => (s.trim() ? s.trim() : null);

/**
 * The profile to save from the form: the fields of the other target dropped (a udata profile has
 * no user, a GeoNetwork one no organisation), and what the form does not show (zones, chunk size,
 * proxy, CA file) kept from the profile edited.
 */
export function profileOf(form: ProfileForm, edited: PublishProfile | null): PublishProfileInput {
  const udata = form.target === 'datagouv';
  const kept = edited && edited.target === form.target ? { zones: edited.zones, chunkSize: edited.chunkSize, proxy: edited.proxy, caFile: edited.caFile } : {};
  return {
    ...kept,
    name: form.name.trim(),
    target: form.target,
    baseUrl: form.baseUrl.trim(),
    organization: udata ? orNull(form.organization) : null,
    frequency: form.frequency,
    user: udata ? null : orNull(form.user),
    group: udata ? null : orNull(form.group),
  };
}

/** Where a call goes, without the portal's root (shorter to read; the full URL is in the title). */
export function shortUrl(url: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return url.startsWith(base) ? url.slice(base.length) || '/' : url;
}

/** An http(s) URL, as the engine's schemas accept it. */
export const isHttpUrl = (s: string): boolean => /^https?:\/\/[^\s/]+/i.test(s.trim());

/** A file of a bundle folder, with the folder's own separator. */
export function inBundle(folder: string, path: string): string {
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return `${folder.replace(/[\\/]+$/, '')}${sep}${path.split('/').join(sep)}`;
}
