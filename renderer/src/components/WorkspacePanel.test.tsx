import { render, screen, cleanup } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { I18nextProvider } from 'react-i18next';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type WorkspaceSummary } from '../../../shared/contract/index.js';
import { inProcess, type TransportUnderTest } from '../../../test/helpers/transports.js';
import { EngineProvider } from '../api/engine.js';
import type { UiTransport } from '../api/transport.js';
import { createI18n } from '../i18n/index.js';
import { WorkspacePanel } from './WorkspacePanel.js';

// jsdom has no matchMedia; Mantine asks it for the colour scheme.
window.matchMedia ??= ((query: string) => ({
  matches: false,
  media: query,
  onchange: null,
  addListener: () => undefined,
  removeListener: () => undefined,
  addEventListener: () => undefined,
  removeEventListener: () => undefined,
  dispatchEvent: () => false,
})) as typeof window.matchMedia;

/** The panel against the real engine, in-process (same contract as the app and the web host). */
describe('WorkspacePanel', () => {
  let t: TransportUnderTest;
  let summary: WorkspaceSummary;
  let transport: UiTransport;
  beforeAll(async () => {
    t = inProcess();
    transport = { ...t.transport, kind: 'web', tileUrl: () => '' };
    summary = await createClient(t.transport).invoke('workspace.summary', { path: t.engine.demoPath });
  });
  afterEach(cleanup);
  afterAll(() => t.close());

  const show = (lang: 'fr' | 'en') =>
    render(
      <MantineProvider>
        <I18nextProvider i18n={createI18n(lang)}>
          <EngineProvider transport={transport}>
            <WorkspacePanel summary={summary} error={null} isDemo onOpened={() => undefined} />
          </EngineProvider>
        </I18nextProvider>
      </MantineProvider>,
    );

  it('shows the demo summary in French', () => {
    show('fr');
    expect(screen.getByTestId('observation-count').textContent).toBe('991 observations');
    expect(screen.getByText('Du 2000-01-10 au 2017-10-02')).toBeTruthy();
    expect(screen.getByText('253 taxons · 59 observateurs')).toBeTruthy();
    expect(screen.getByText('Jeux de données (JDD)')).toBeTruthy();
  });

  it('and in English', () => {
    show('en');
    expect(screen.getByText('From 2000-01-10 to 2017-10-02')).toBeTruthy();
    expect(screen.getByText('253 taxa · 59 observers')).toBeTruthy();
  });
});
