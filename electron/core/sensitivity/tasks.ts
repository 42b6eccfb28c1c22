import type { SensitivityCheckReport, SensitivityExplanation, SensitivityLoadReport, SensitivityOverrideResult } from '../../../shared/contract/index.js';
import type { Task, TaskLoaders } from '../jobs/task-types.js';
import type { AddOverrideTaskInput, CheckTaskInput, ExplainTaskInput, LoadTaskInput, RemoveOverrideTaskInput } from './operations.js';

/** The sensitivity domain's long tasks: they run in a job process in the app and web host. */
export interface SensitivityTasks {
  'sensitivity.load': Task<LoadTaskInput, SensitivityLoadReport>;
  'sensitivity.check': Task<CheckTaskInput, SensitivityCheckReport>;
  'sensitivity.explain': Task<ExplainTaskInput, SensitivityExplanation>;
  'sensitivity.addOverride': Task<AddOverrideTaskInput, SensitivityOverrideResult>;
  'sensitivity.removeOverride': Task<RemoveOverrideTaskInput, SensitivityOverrideResult>;
}

export const sensitivityTaskLoaders: TaskLoaders<SensitivityTasks> = {
  'sensitivity.load': async () => (await import('./operations.js')).loadTask,
  'sensitivity.check': async () => (await import('./operations.js')).checkTask,
  'sensitivity.explain': async () => (await import('./operations.js')).explainTask,
  'sensitivity.addOverride': async () => (await import('./operations.js')).addOverrideTask,
  'sensitivity.removeOverride': async () => (await import('./operations.js')).removeOverrideTask,
};
