import { useState } from 'react';
import { ActionIcon, Alert, Badge, Button, CopyButton, Group, Menu, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { isAbsolutePath } from '../cleanup/common.js';
import { errorText } from '../i18n/index.js';
import type { GivenFile } from './format.js';

const ZIP_FILTERS = [
  { name: 'Zip', extensions: ['zip'] },
  { name: '*', extensions: ['*'] },
];

/**
 * Where a bundle is (or will be): a folder or a `.zip`. Always typed (a bundle is often a folder,
 * which the system's file dialog cannot choose), with the system dialog in the desktop app and the
 * bundles built in this session to pick from. The engine reads only paths the user chose or built in
 * this session: another one is refused with a message that says so.
 */
export function BundlePathField({
  label,
  description,
  placeholder,
  value,
  onChange,
  mode,
  defaultName,
  suggestions = [],
  testId,
}: {
  label: string;
  description?: string;
  placeholder: string;
  value: string;
  onChange: (path: string) => void;
  mode: 'open' | 'save';
  defaultName?: string;
  suggestions?: readonly string[];
  testId: string;
}) {
  const { t } = useTranslation();
  const { client, transport } = useEngine();
  const browse = async () => {
    const r = mode === 'save' ? await client.call('dialog.saveFile', { defaultName, filters: ZIP_FILTERS }) : await client.call('dialog.openFile', { filters: ZIP_FILTERS });
    if (r.ok && r.value.path) onChange(r.value.path);
  };
  const v = value.trim();
  const others = suggestions.filter((s) => s !== v);
  return (
    <Group gap="xs" align="flex-end" wrap="nowrap">
      <TextInput
        size="xs"
        style={{ flex: 1 }}
        label={label}
        description={description}
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        error={v && !isAbsolutePath(v) ? t('bundle.path.absolute') : undefined}
        data-testid={testId}
      />
      {transport.kind === 'electron' && (
        <Button size="xs" variant="default" onClick={() => void browse()}>
          {t('workspace.browse')}
        </Button>
      )}
      {others.length > 0 && (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button size="xs" variant="light" data-testid={`${testId}-recent`}>
              {t('bundle.path.recent')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {others.map((s) => (
              <Menu.Item key={s} onClick={() => onChange(s)} ff="monospace" fz="xs">
                {s}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      )}
    </Group>
  );
}

/** A path shown whole, with a button that copies it (the app has no "open the folder" yet). */
export function CopyPath({ path, testId }: { path: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap" data-testid={testId} data-path={path}>
      <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
        {path}
      </Text>
      <CopyButton value={path}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('bundle.path.copied') : t('bundle.path.copy')} withArrow>
            <ActionIcon size="sm" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={t('bundle.path.copy')} data-testid={`${testId}-copy`}>
              {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/**
 * Adds a file the sensitivity step needs (a referential, a taxonomy): the path (system dialog in
 * the desktop app, typed in a browser), read once as a table to show its rows and columns — which
 * also makes it a file the user chose, that the preview and the build may read.
 */
export function FileAdder({ label, description, onAdded, testId }: { label: string; description?: string; onAdded: (f: GivenFile) => void; testId: string }) {
  const { t } = useTranslation();
  const { client, transport } = useEngine();
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const desktop = transport.kind === 'electron';

  const add = async (p: string) => {
    setBusy(true);
    setError(null);
    const r = await client.call('clean.sniff', { path: p, previewRows: 1 });
    setBusy(false);
    if (r.ok) {
      onAdded({ path: p, rows: r.value.rows, columns: r.value.columns, encoding: r.value.encoding.used });
      setPath('');
    } else if (desktop) {
      // Chosen with the system dialog: usable even when it does not read as a table (a rules JSON file).
      onAdded({ path: p, rows: null, columns: [], encoding: null });
      setPath('');
    } else setError(r.error);
  };
  const browse = async () => {
    const r = await client.call('dialog.openFile', { filters: [{ name: 'CSV / JSON', extensions: ['csv', 'txt', 'json'] }] });
    if (r.ok && r.value.path) await add(r.value.path);
  };
  const v = path.trim();
  return (
    <Stack gap={4}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (v && isAbsolutePath(v)) void add(v);
        }}
      >
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <TextInput
            size="xs"
            style={{ flex: 1 }}
            label={label}
            description={description}
            placeholder="/…/RefSensibilite.csv"
            value={path}
            onChange={(e) => setPath(e.currentTarget.value)}
            error={v && !isAbsolutePath(v) ? t('bundle.path.absolute') : undefined}
            data-testid={testId}
          />
          {desktop && (
            <Button size="xs" variant="default" onClick={() => void browse()}>
              {t('workspace.browse')}
            </Button>
          )}
          <Button size="xs" type="submit" loading={busy} disabled={!v || !isAbsolutePath(v)} data-testid={`${testId}-submit`}>
            {t('bundle.sens.add')}
          </Button>
        </Group>
      </form>
      {error && (
        <Alert color="red" variant="light" p="xs" data-testid={`${testId}-error`}>
          <Text size="xs">{errorText(t, error)}</Text>
        </Alert>
      )}
    </Stack>
  );
}

/** A file given to the wizard: name, rows and columns, with a remove button. */
export function GivenFileLine({ file, onRemove, testId }: { file: GivenFile; onRemove: () => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap" data-testid={testId} data-path={file.path} data-rows={file.rows ?? ''}>
      <Badge variant="light" size="sm" style={{ flex: 'none' }}>
        {file.rows !== null ? t('bundle.sens.rows', { count: file.rows }) : t('bundle.sens.unread')}
      </Badge>
      <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
        <Text size="xs" ff="monospace" truncate="start">
          {file.path}
        </Text>
        {file.columns.length > 0 && (
          <Text size="xs" c="dimmed" truncate="end">
            {file.encoding ? `${file.encoding} · ` : ''}
            {file.columns.join(', ')}
          </Text>
        )}
      </Stack>
      <Button size="compact-xs" variant="subtle" color="red" onClick={onRemove}>
        {t('bundle.sens.remove')}
      </Button>
    </Group>
  );
}
