import type { Handlers } from '../dispatch.js';
import type { HandlerDeps } from './deps.js';

export function jobHandlers(deps: HandlerDeps): Pick<Handlers, 'job.cancel'> {
  return {
    'job.cancel': async ({ jobId }) => {
      const cancelled = deps.runner.cancel(jobId);
      deps.log.info('job cancel requested', { jobId, found: cancelled });
      return { cancelled };
    },
  };
}
