import type { FeedResult, LandingResult, PublishRun } from '../../../shared/contract/schemas/publish.js';
import type { Task, TaskLoaders } from '../jobs/task-types.js';
import type { PublishTaskInput } from './publish.js';

/** The publish domain's long tasks (the gate, zips, uploads and GDAL: job processes). */
export interface PublishTasks {
  'publish.run': Task<PublishTaskInput, PublishRun>;
  'publish.landing': Task<{ bundle: string; hostedAt: string | null }, LandingResult>;
  'publish.feed': Task<{ bundle: string; out: string; hostedAt: string; title: string | null; workspace: string | null }, FeedResult>;
}

export const publishTaskLoaders: TaskLoaders<PublishTasks> = {
  'publish.run': async () => (await import('./publish.js')).publishTask,
  'publish.landing': async () => (await import('./landing.js')).landingTask,
  'publish.feed': async () => (await import('./feed.js')).feedTask,
};
