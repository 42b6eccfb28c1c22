import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createTheme, localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { I18nextProvider } from 'react-i18next';
import '@mantine/core/styles.css';
import { EngineProvider } from './api/engine.js';
import { App } from './App.js';
import { ConnectionsProvider } from './geonature/connections.js';
import { createI18n } from './i18n/index.js';

const theme = createTheme({ primaryColor: 'green', defaultRadius: 'md' });
const colorSchemeManager = localStorageColorSchemeManager({ key: 'passerelle.colorScheme' });
const i18n = createI18n();

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto" colorSchemeManager={colorSchemeManager}>
      <I18nextProvider i18n={i18n}>
        <EngineProvider>
          <ConnectionsProvider>
            <App />
          </ConnectionsProvider>
        </EngineProvider>
      </I18nextProvider>
    </MantineProvider>
  </StrictMode>,
);
