import { useEffect, useState } from 'react';
import { AppShell } from '@mantine/core';
import type { ApiError, AppInfo, MapSources, WorkspaceSummary } from '../../shared/contract/index.js';
import { useEngine } from './api/engine.js';
import { AppHeader } from './components/AppHeader.js';
import { LogDrawer } from './components/LogDrawer.js';
import { MapView } from './components/MapView.js';
import { SourcesPanel } from './components/SourcesPanel.js';
import { StatusBar } from './components/StatusBar.js';
import { WorkspacePanel } from './components/WorkspacePanel.js';

/** The shell: sources on the left, the map, engine status at the bottom. Opens the demo first. */
export function App() {
  const { client } = useEngine();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [summary, setSummary] = useState<WorkspaceSummary | null>(null);
  const [sources, setSources] = useState<MapSources | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [logOpen, setLogOpen] = useState(false);

  const show = async (s: WorkspaceSummary) => {
    setSummary(s);
    const m = await client.call('map.sources', { path: s.path });
    if (m.ok) setSources(m.value);
    else setError(m.error);
  };

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
      if (s.ok) await show(s.value);
      else setError(s.error);
    })();
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, at start
  }, [client]);

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 340, breakpoint: 'sm' }} footer={{ height: 32 }} padding={0}>
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
                void show(s);
              }}
            />
          }
        />
      </AppShell.Navbar>
      <AppShell.Main style={{ height: '100dvh' }}>
        <div style={{ height: 'calc(100dvh - 52px - 32px)' }}>
          <MapView sources={sources} extent={summary?.extent ?? null} />
        </div>
      </AppShell.Main>
      <AppShell.Footer>
        <StatusBar info={info} />
      </AppShell.Footer>
      <LogDrawer opened={logOpen} onClose={() => setLogOpen(false)} />
    </AppShell>
  );
}
