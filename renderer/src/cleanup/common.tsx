import { Button, Group, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useEngine } from '../api/engine.js';
import { langOf, type Lang } from './format.js';

/** The current UI language, as the engine's texts name it. */
export function useLang(): Lang {
  const { i18n } = useTranslation();
  return langOf(i18n.language);
}

export { useJobRunner } from '../api/use-job-runner.js';
export { JobLine } from '../components/JobLine.js';

export const SOURCE_FILTERS = [
  { name: 'CSV / TSV / TXT', extensions: ['csv', 'tsv', 'txt'] },
  { name: 'GeoPackage, Shapefile, GeoJSON', extensions: ['gpkg', 'shp', 'geojson', 'json'] },
  { name: 'Darwin Core Archive', extensions: ['zip', 'xml'] },
  { name: '*', extensions: ['*'] },
];

/**
 * A file path, the way the app's PathOpener asks for one: the system dialog in the desktop app
 * (the choice shows in a read-only field), a path field in a browser (a page cannot learn a
 * local file's path). `onSubmit` fires on the dialog's choice or on the field's button.
 */
export function PathField({
  label,
  description,
  placeholder,
  value,
  onChange,
  onSubmit,
  submitLabel,
  mode = 'open',
  filters,
  defaultName,
  busy = false,
  testId,
}: {
  label: string;
  description?: string;
  placeholder: string;
  value: string;
  onChange: (path: string) => void;
  onSubmit?: (path: string) => void;
  submitLabel?: string;
  mode?: 'open' | 'save';
  filters: { name: string; extensions: string[] }[];
  defaultName?: string;
  busy?: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  const { client, transport } = useEngine();
  const browse = async () => {
    const r = mode === 'save' ? await client.call('dialog.saveFile', { defaultName, filters }) : await client.call('dialog.openFile', { filters });
    if (r.ok && r.value.path) {
      onChange(r.value.path);
      onSubmit?.(r.value.path);
    }
  };
  const desktop = transport.kind === 'electron';
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) onSubmit?.(value.trim());
      }}
    >
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput
          size="xs"
          style={{ flex: 1 }}
          label={label}
          description={description}
          placeholder={placeholder}
          value={value}
          readOnly={desktop}
          onChange={(e) => onChange(e.currentTarget.value)}
          error={value.trim() && !isAbsolutePath(value.trim()) ? t('clean.absolutePath') : undefined}
          data-testid={testId}
        />
        {desktop && (
          <Button size="xs" variant="default" onClick={() => void browse()}>
            {t('workspace.browse')}
          </Button>
        )}
        {onSubmit && (
          <Button size="xs" type="submit" loading={busy} disabled={!value.trim() || !isAbsolutePath(value.trim())} data-testid={`${testId}-submit`}>
            {submitLabel ?? t('workspace.open')}
          </Button>
        )}
      </Group>
    </form>
  );
}

/** An absolute path on Linux, macOS or Windows. */
export const isAbsolutePath = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
