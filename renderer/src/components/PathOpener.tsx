import { useState } from 'react';
import { Alert, Button, Group, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, Result } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';

/**
 * How the user names a file to open: the system dialog in the desktop app, a path field in
 * a browser (a page cannot learn a local file's path). `open` calls the engine and says
 * why it failed, in the user's language.
 */
export function PathOpener({
  label,
  placeholder,
  browseLabel,
  testId,
  open,
}: {
  label: string;
  placeholder: string;
  browseLabel: string;
  testId: string;
  open: (path: string) => Promise<Result<unknown>>;
}) {
  const { t } = useTranslation();
  const { client, transport } = useEngine();
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const run = async (p: string) => {
    setBusy(true);
    setError(null);
    const r = await open(p);
    setBusy(false);
    if (r.ok) setPath('');
    else setError(r.error);
  };

  const browse = async () => {
    const r = await client.call('dialog.openFile', { filters: [{ name: 'GeoPackage', extensions: ['gpkg'] }] });
    if (r.ok && r.value.path) await run(r.value.path);
  };

  return (
    <Stack gap="xs">
      {transport.kind === 'electron' ? (
        <Button size="xs" variant="light" onClick={() => void browse()} loading={busy}>
          {browseLabel}
        </Button>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (path.trim()) void run(path.trim());
          }}
        >
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <TextInput size="xs" style={{ flex: 1 }} label={label} placeholder={placeholder} value={path} onChange={(e) => setPath(e.currentTarget.value)} />
            <Button size="xs" type="submit" loading={busy} data-testid={`${testId}-submit`}>
              {t('workspace.open')}
            </Button>
          </Group>
        </form>
      )}
      {error && (
        <Alert color="red" variant="light" data-testid={`${testId}-error`}>
          {errorText(t, error)}
        </Alert>
      )}
    </Stack>
  );
}
