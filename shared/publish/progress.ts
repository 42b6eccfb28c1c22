/**
 * Progress of a publication per file, carried in the `message` of the contract's `job.progress`
 * events (whose `done`/`total` are then the bytes of that file sent and its size, so that each
 * file's last event always gets through the progress throttle): the engine formats it, the UI
 * parses it to show one bar per file. Pure.
 *
 * `upload 2/7 1048576/4194304 data/observations.csv`: phase, file number and count, bytes of
 * that file sent and its size, its path (last: it may hold spaces). Phases without a file
 * (`gate`, `prepare`, `dataset`, `record`, `done`) are the phase alone.
 */

export const PUBLISH_PHASES = ['gate', 'prepare', 'dataset', 'upload', 'metadata', 'delete', 'record', 'done'] as const;
export type PublishPhase = (typeof PUBLISH_PHASES)[number];

export interface FileProgress {
  readonly index: number;
  readonly count: number;
  readonly sent: number;
  readonly bytes: number;
  readonly path: string;
}

export interface PublishProgress {
  readonly phase: PublishPhase;
  readonly file: FileProgress | null;
}

/** The `job.progress` message of a phase, or of a file's progress. */
export function formatPublishProgress(phase: PublishPhase, file: FileProgress | null = null): string {
  if (!file) return phase;
  return `${phase} ${file.index}/${file.count} ${file.sent}/${file.bytes} ${file.path}`;
}

/** Reads a message made by {@link formatPublishProgress} (null for any other message). */
export function parsePublishProgress(message: string): PublishProgress | null {
  const m = /^([a-z]+)(?: (\d+)\/(\d+) (\d+)\/(\d+) (.+))?$/.exec(message);
  if (!m || !(PUBLISH_PHASES as readonly string[]).includes(m[1] as string)) return null;
  const phase = m[1] as PublishPhase;
  if (m[2] === undefined) return { phase, file: null };
  return { phase, file: { index: Number(m[2]), count: Number(m[3]), sent: Number(m[4]), bytes: Number(m[5]), path: m[6] as string } };
}
