import type { ReactNode } from 'react';
import { BundleView } from '../bundle/BundleView.js';
import { CleanupView } from '../cleanup/CleanupView.js';
import { GeoNatureView } from '../geonature/GeoNatureView.js';
import { MetadataView } from '../metadata/MetadataView.js';
import { SensitivityView } from '../sensitivity/SensitivityView.js';
import type { ViewContext } from './context.js';

export type { ViewContext } from './context.js';

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
  { id: 'metadata', labelKey: 'meta.view', render: (ctx) => <MetadataView workspace={ctx.workspace?.path ?? null} onChanged={ctx.refreshWorkspace} /> },
  {
    id: 'sensitivity',
    labelKey: 'sens.view',
    render: (ctx) => <SensitivityView key={ctx.workspace?.path ?? ''} workspace={ctx.workspace} refreshWorkspace={ctx.refreshWorkspace} showOnMap={ctx.showOnMap} />,
  },
  {
    id: 'cleanup',
    labelKey: 'clean.view',
    render: (ctx) => <CleanupView workspace={ctx.workspace} openWorkspace={ctx.openWorkspace} refreshWorkspace={ctx.refreshWorkspace} showOnMap={(extent) => ctx.showOnMap(extent)} />,
  },
  { id: 'export', labelKey: 'bundle.view', render: (ctx) => <BundleView key={ctx.workspace?.path ?? ''} workspace={ctx.workspace} refreshWorkspace={ctx.refreshWorkspace} showOnMap={ctx.showOnMap} /> },
];
