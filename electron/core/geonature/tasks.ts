import type { PullReport, PushReport } from '../../../shared/contract/index.js';
import type { Task, TaskLoaders } from '../jobs/task-types.js';
import type { PullTaskInput } from './pull.js';
import type { PushTaskInput } from './push.js';

/** The GeoNature domain's long tasks (pull and push): they run in a job process in the app and web host. */
export interface GeoNatureTasks {
  'geonature.pull': Task<PullTaskInput, PullReport>;
  'geonature.push': Task<PushTaskInput, PushReport>;
}

export const geonatureTaskLoaders: TaskLoaders<GeoNatureTasks> = {
  'geonature.pull': async () => (await import('./pull.js')).pullTask,
  'geonature.push': async () => (await import('./push.js')).pushTask,
};
