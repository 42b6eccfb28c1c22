import type { ReactNode } from 'react';
import type { AppInfo, Extent, WorkspaceSummary } from '../../../shared/contract/index.js';
import { GeoNatureView } from '../geonature/GeoNatureView.js';

/** What a view over the map may know and do. */
export interface ViewContext {
  info: AppInfo | null;
  /** The open workspace (the demo at start). */
  workspace: WorkspaceSummary | null;
  /** Opens a workspace (a pull's result, a working copy…) and shows it on the map. */
  openWorkspace(path: string): Promise<void>;
  /** Re-reads the open workspace after a change (summary, map layers). */
  refreshWorkspace(): Promise<void>;
  /** Goes back to the map, zoomed to `extent` (WGS 84). */
  showOnMap(extent: Extent | null): void;
}

export interface ViewDef {
  id: string;
  /** i18n key of the view's name in the view switcher. */
  labelKey: string;
  render(ctx: ViewContext): ReactNode;
}

/**
 * The views over the map, in the order of the switcher. Each feature adds its view here
 * (one line) and keeps its components in its own folder.
 */
export const VIEWS: readonly ViewDef[] = [
  {
    id: 'geonature',
    labelKey: 'views.geonature',
    render: (ctx) => <GeoNatureView workspace={ctx.workspace?.path ?? null} onPulled={(p) => void ctx.openWorkspace(p)} />,
  },
];
