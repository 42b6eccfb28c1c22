import { AbsolutePath } from '../schemas/common.js';
import { WorkspaceSummary } from '../schemas/workspace.js';
import { job, type MethodSpec } from './define.js';

export const workspaceMethods = {
  /** Opens a workspace the user chose and summarises it. */
  'workspace.open': job({ path: AbsolutePath }, WorkspaceSummary, { grants: ['path'] }),
  /** Summary of a workspace: layers, observations, date range, taxa, JDD, extent. */
  'workspace.summary': job({ path: AbsolutePath }, WorkspaceSummary, { uses: ['path'] }),
} as const satisfies Record<string, MethodSpec>;
