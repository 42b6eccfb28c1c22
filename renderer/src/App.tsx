import { useCallback, useEffect, useMemo, useState } from 'react';
import { AppShell, CloseButton, Group, Paper, SegmentedControl, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, AppInfo, Finding, GpkgInfo, GpkgLayer, GpkgMapSources, MapSources, ValidationReport as Report, WorkspaceSummary } from '../../shared/contract/index.js';
import { useEngine } from './api/engine.js';
import { AppHeader } from './components/AppHeader.js';
import { AttributeTable } from './components/AttributeTable.js';
import { GeoPackagePanel } from './components/GeoPackagePanel.js';
import { LogDrawer } from './components/LogDrawer.js';
import { MapView, type FitRequest } from './components/MapView.js';
import { SourcesPanel } from './components/SourcesPanel.js';
import { StatusBar } from './components/StatusBar.js';
import { ValidationReport } from './components/ValidationReport.js';
import { WorkspacePanel } from './components/WorkspacePanel.js';
import { DATA_COLORS, type MapOverlay } from './map/overlays.js';
import { GeoNaturePanel } from './geonature/GeoNaturePanel.js';
import { VIEWS, type ViewContext } from './views/registry.js';
import { freshKey, newJobId } from './api/job-id.js';

interface OpenedFile {
  info: GpkgInfo;
  map: GpkgMapSources | null;
}

/** The shell: sources on the left, the map, tables and reports below it, engine status at the bottom. */
export function App() {
  const { t } = useTranslation();
  const { client, transport } = useEngine();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [summary, setSummary] = useState<WorkspaceSummary | null>(null);
  const [wsSources, setWsSources] = useState<MapSources | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [files, setFiles] = useState<OpenedFile[]>([]);
  const [selected, setSelected] = useState<{ path: string; layer: string } | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [tab, setTab] = useState<string | null>('table');
  const [fit, setFit] = useState<FitRequest | null>(null);
  const [highlight, setHighlight] = useState<{ overlayId: string; fid: number } | null>(null);
  const [logOpen, setLogOpen] = useState(false);
  const [view, setView] = useState<string>('map');
  // Overlays a view asked the map to show alone, and the revision of the workspace's results (tile URLs change with it).
  const [solo, setSolo] = useState<{ ids: readonly string[]; key: string } | null>(null);
  const [wsRevision, setWsRevision] = useState(0);

  const showWorkspace = useCallback(
    async (s: WorkspaceSummary) => {
      setSummary(s);
      if (s.extent) setFit({ extent: s.extent, key: `ws:${s.path}` });
      const m = await client.call('map.sources', { path: s.path });
      if (m.ok) setWsSources(m.value);
      else setError(m.error);
    },
    [client],
  );

  useEffect(() => {
    let alive = true;
    void (async () => {
      const r = await client.call('app.info', {});
      if (!alive) return;
      if (!r.ok) {
        setError(r.error);
        return;
      }
      setInfo(r.value);
      const s = await client.call('workspace.summary', { path: r.value.paths.demoWorkspace, jobId: 'startup-summary' });
      if (!alive) return;
      if (s.ok) await showWorkspace(s.value);
      else setError(s.error);
    })();
    return () => {
      alive = false;
    };
  }, [client, showWorkspace]);

  const overlays = useMemo<MapOverlay[]>(() => {
    const out: MapOverlay[] = [];
    if (wsSources && summary) {
      const labels: Record<string, string> = { departements: 'map.departements', communes: 'map.communes', observations: 'map.observations', 'sensitivity-precise': 'map.sensitivityPrecise', 'sensitivity-published': 'map.sensitivityPublished' };
      for (const role of ['departements', 'communes', 'observations', 'sensitivity-precise', 'sensitivity-published'] as const) {
        const l = wsSources.layers.find((x) => x.role === role);
        if (!l) continue;
        // The sensitivity results change in place (a new check, an override): a new URL drops the tiles already drawn.
        const url = transport.tileUrl(wsSources.sourceId, l.layer);
        const rev = role.startsWith('sensitivity-') ? `${url.includes('?') ? '&' : '?'}rev=${wsRevision}` : '';
        out.push({ id: `workspace:${role}`, label: t(labels[role] ?? role), url: url + rev, role, geometryKind: l.geometryKind, source: { kind: 'workspace', path: summary.path, layer: l.layer }, extent: l.extent });
      }
    }
    let c = 0;
    for (const f of files) {
      if (!f.map) continue;
      for (const l of f.map.layers) {
        if (!l.drawable) continue;
        out.push({
          id: `gpkg:${f.info.path}:${l.layer}`,
          label: l.layer,
          url: transport.tileUrl(f.map.sourceId, l.tileLayer),
          role: 'data',
          geometryKind: l.geometryKind,
          color: DATA_COLORS[c++ % DATA_COLORS.length],
          source: { kind: 'gpkg', path: f.info.path, layer: l.layer },
          extent: l.extent,
        });
      }
    }
    return out;
  }, [wsSources, summary, files, transport, t, wsRevision]);

  const openedGpkg = async (gi: GpkgInfo) => {
    const m = await client.call('gpkg.mapSources', { path: gi.path });
    setFiles((prev) => [...prev.filter((f) => f.info.path !== gi.path), { info: gi, map: m.ok ? m.value : null }]);
    const first = m.ok ? m.value.layers.find((l) => l.drawable && l.extent) : undefined;
    if (first?.extent) setFit({ extent: first.extent, key: `gpkg:${gi.path}:${Date.now()}` });
  };

  const selectLayer = (path: string, layer: GpkgLayer) => {
    setSelected({ path, layer: layer.name });
    setTab('table');
    setHighlight(null);
    const ml = files.find((f) => f.info.path === path)?.map?.layers.find((l) => l.layer === layer.name);
    if (ml?.extent) setFit({ extent: ml.extent, key: `layer:${path}:${layer.name}:${Date.now()}` });
  };

  const zoomToFeature = async (path: string, layer: string, fid: number) => {
    setHighlight({ overlayId: `gpkg:${path}:${layer}`, fid });
    const r = await client.call('gpkg.feature', { path, layer, fid });
    if (r.ok && r.value.bboxWgs84) {
      const [minX, minY, maxX, maxY] = r.value.bboxWgs84;
      const pad = 0.0005;
      setFit({ extent: { srsId: 4326, minX: minX - pad, minY: minY - pad, maxX: maxX + pad, maxY: maxY + pad }, key: `fid:${path}:${layer}:${fid}:${Date.now()}` });
    }
  };

  const validate = async (path: string) => {
    setTab('report');
    setReport(null);
    const r = await client.call('gpkg.validate', { path, jobId: `validate-${Date.now()}` });
    if (r.ok) setReport(r.value);
    else setError(r.error);
  };

  const onFinding = (f: Finding) => {
    if (!report || f.fid === null || !f.table) return;
    setSelected({ path: report.path, layer: f.table });
    void zoomToFeature(report.path, f.table, f.fid);
  };

  const openWorkspace = async (path: string) => {
    const r = await client.call('workspace.open', { path, jobId: newJobId('open') });
    if (r.ok) await showWorkspace(r.value);
    else setError(r.error);
  };

  const viewContext: ViewContext = {
    info,
    workspace: summary,
    openWorkspace,
    refreshWorkspace: async () => {
      if (!summary) return;
      setWsRevision((v) => v + 1);
      const r = await client.call('workspace.summary', { path: summary.path, jobId: newJobId('refresh') });
      if (r.ok) await showWorkspace(r.value);
    },
    showOnMap: (extent, layers) => {
      setView('map');
      if (extent) setFit({ extent, key: freshKey('view') });
      if (layers) setSolo({ ids: layers, key: freshKey('solo') });
    },
  };

  const bottomOpen = selected !== null || report !== null;

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 360, breakpoint: 'sm' }} footer={{ height: 32 }} padding={0}>
      <AppShell.Header>
        <AppHeader onOpenLog={() => setLogOpen(true)} />
      </AppShell.Header>
      <AppShell.Navbar>
        <SourcesPanel
          workspace={
            <WorkspacePanel
              summary={summary}
              error={error}
              isDemo={summary !== null && info !== null && summary.path === info.paths.demoWorkspace}
              onOpened={(s) => {
                setError(null);
                void showWorkspace(s);
              }}
            />
          }
          geopackages={
            <GeoPackagePanel
              files={files}
              selected={selected}
              onOpened={(gi) => void openedGpkg(gi)}
              onSelect={selectLayer}
              onValidate={(p) => void validate(p)}
              onClose={(p) => {
                setFiles((prev) => prev.filter((f) => f.info.path !== p));
                if (selected?.path === p) setSelected(null);
                if (report?.path === p) setReport(null);
              }}
            />
          }
          geonature={<GeoNaturePanel onOpenView={() => setView('geonature')} />}
        />
      </AppShell.Navbar>
      <AppShell.Main style={{ height: '100dvh' }}>
        <div style={{ height: 'calc(100dvh - 52px - 32px)', display: 'flex', flexDirection: 'column', position: 'relative' }}>
          <SegmentedControl
            size="xs"
            value={view}
            onChange={setView}
            data={[{ value: 'map', label: t('views.map') }, ...VIEWS.map((v) => ({ value: v.id, label: t(v.labelKey) }))]}
            style={{ position: 'absolute', top: 12, left: 56, zIndex: 6 }}
            data-testid="views"
          />
          {VIEWS.filter((v) => v.id === view).map((v) => (
            <div key={v.id} data-testid={`view-${v.id}`} style={{ position: 'absolute', inset: 0, zIndex: 5, background: 'var(--mantine-color-body)', paddingTop: 48 }}>
              {v.render(viewContext)}
            </div>
          ))}
          <div style={{ flex: 1, minHeight: 0 }}>
            <MapView overlays={overlays} fit={fit} highlight={highlight} solo={solo} />
          </div>
          {bottomOpen && (
            <Paper withBorder radius={0} style={{ height: '38%', display: 'flex', flexDirection: 'column' }}>
              <Tabs value={tab} onChange={setTab} style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
                <Group justify="space-between" wrap="nowrap" pr="xs">
                  <Tabs.List>
                    {selected && <Tabs.Tab value="table">{t('table.title', { layer: selected.layer })}</Tabs.Tab>}
                    {(report || tab === 'report') && <Tabs.Tab value="report">{t('report.title')}</Tabs.Tab>}
                  </Tabs.List>
                  <CloseButton
                    aria-label={t('map.close')}
                    onClick={() => {
                      setSelected(null);
                      setReport(null);
                    }}
                  />
                </Group>
                <Tabs.Panel value="table" style={{ flex: 1, minHeight: 0 }}>
                  {selected && (
                    <AttributeTable
                      key={`${selected.path}:${selected.layer}`}
                      path={selected.path}
                      layer={selected.layer}
                      selectedFid={highlight?.overlayId === `gpkg:${selected.path}:${selected.layer}` ? highlight.fid : null}
                      onRowClick={(fid) => void zoomToFeature(selected.path, selected.layer, fid)}
                    />
                  )}
                </Tabs.Panel>
                <Tabs.Panel value="report" style={{ flex: 1, minHeight: 0 }}>
                  {report && <ValidationReport report={report} onZoom={onFinding} />}
                </Tabs.Panel>
              </Tabs>
            </Paper>
          )}
        </div>
      </AppShell.Main>
      <AppShell.Footer>
        <StatusBar info={info} />
      </AppShell.Footer>
      <LogDrawer opened={logOpen} onClose={() => setLogOpen(false)} />
    </AppShell>
  );
}
