import type { AppInfo, Extent, WorkspaceSummary } from '../../../shared/contract/index.js';

/** What a view over the map may know and do. */
export interface ViewContext {
  info: AppInfo | null;
  /** The open workspace (the demo at start). */
  workspace: WorkspaceSummary | null;
  /** Opens a workspace (a pull's result, a working copy…) and shows it on the map. */
  openWorkspace(path: string): Promise<void>;
  /** Re-reads the open workspace after a change (summary, map layers). */
  refreshWorkspace(): Promise<void>;
  /** Goes back to the map, zoomed to `extent` (WGS 84); with `layers` (overlay ids), shows only those. */
  showOnMap(extent: Extent | null, layers?: readonly string[]): void;
}

/** What most views take of it (their own file, so that views import it without importing the registry). */
export type WorkspaceViewProps = Pick<ViewContext, 'workspace' | 'refreshWorkspace' | 'showOnMap'>;
