import { ActionIcon, Badge, Group, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconCircleDot, IconGridDots, IconLine, IconPolygon, IconShieldCheck, IconTable, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { GpkgInfo, GpkgLayer } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { PathOpener } from './PathOpener.js';

function LayerIcon({ layer }: { layer: GpkgLayer }) {
  const g = layer.geometryType ?? '';
  if (layer.kind === 'tiles' || layer.kind === 'gridded-coverage') return <IconGridDots size={16} />;
  if (layer.kind !== 'features') return <IconTable size={16} />;
  if (/POINT/.test(g)) return <IconCircleDot size={16} />;
  if (/LINE|CURVE/.test(g) && !/POLYGON|SURFACE/.test(g)) return <IconLine size={16} />;
  return <IconPolygon size={16} />;
}

/** "EPSG:2154", or what the file says for custom and undefined systems. */
export function srsLabel(info: GpkgInfo, srsId: number | null, undefinedLabel: string): string {
  if (srsId === null) return '—';
  const srs = info.srs.find((s) => s.srsId === srsId);
  if (!srs) return `SRS ${srsId}`;
  if (srs.undefinedSrs) return `${undefinedLabel} (${srsId})`;
  return srs.epsg !== null ? `EPSG:${srs.epsg}` : `${srs.organization}:${srs.organizationCode}`;
}

export interface OpenedGpkg {
  info: GpkgInfo;
}

/**
 * The GeoPackages section of the sidebar: open a file (system dialog in the app, path
 * field in a browser), its layers like QGIS's browser (type, SRS, count), validate it.
 */
export function GeoPackagePanel({
  files,
  selected,
  onOpened,
  onSelect,
  onValidate,
  onClose,
}: {
  files: OpenedGpkg[];
  selected: { path: string; layer: string } | null;
  onOpened: (info: GpkgInfo) => void;
  onSelect: (path: string, layer: GpkgLayer) => void;
  onValidate: (path: string) => void;
  onClose: (path: string) => void;
}) {
  const { t } = useTranslation();
  const { client } = useEngine();

  return (
    <Stack gap="xs" data-testid="gpkg-panel">
      {files.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('sources.noGeopackage')}
        </Text>
      )}
      {files.map(({ info }) => {
        const name = info.path.split(/[\\/]/).pop() ?? info.path;
        return (
          <Stack key={info.path} gap={4} data-testid="gpkg-file">
            <Group justify="space-between" wrap="nowrap" gap={4}>
              <Tooltip label={info.path} openDelay={400}>
                <Text size="sm" fw={600} truncate="end" style={{ flex: 1 }}>
                  {name}
                </Text>
              </Tooltip>
              {info.version && (
                <Badge size="xs" variant="outline" style={{ flex: 'none' }}>
                  GPKG {info.version}
                </Badge>
              )}
              <Tooltip label={t('gpkg.validate')}>
                <ActionIcon size="sm" variant="subtle" aria-label={t('gpkg.validate')} onClick={() => onValidate(info.path)} data-testid="gpkg-validate">
                  <IconShieldCheck size={16} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('gpkg.close')}>
                <ActionIcon size="sm" variant="subtle" color="gray" aria-label={t('gpkg.close')} onClick={() => onClose(info.path)}>
                  <IconX size={14} />
                </ActionIcon>
              </Tooltip>
            </Group>
            {info.walMode && (
              <Text size="xs" c="dimmed">
                {t('gpkg.walNote')}
              </Text>
            )}
            {info.layers.length === 0 && (
              <Text size="xs" c="dimmed">
                {t('gpkg.noLayer')}
              </Text>
            )}
            {info.layers.map((l) => {
              const active = selected?.path === info.path && selected.layer === l.name;
              return (
                <UnstyledButton
                  key={l.name}
                  onClick={() => onSelect(info.path, l)}
                  data-testid="gpkg-layer"
                  data-layer={l.name}
                  style={{ borderRadius: 6, padding: '2px 6px', background: active ? 'var(--mantine-primary-color-light)' : undefined }}
                >
                  <Group gap={6} wrap="nowrap">
                    <LayerIcon layer={l} />
                    <Text size="sm" truncate="end" style={{ flex: 1 }} title={l.description ?? l.name}>
                      {l.name}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
                      {srsLabel(info, l.srsId, t('gpkg.undefinedSrs'))}
                    </Text>
                    <Badge size="xs" variant="light" style={{ flex: 'none' }}>
                      {l.count ?? '?'}
                    </Badge>
                  </Group>
                </UnstyledButton>
              );
            })}
          </Stack>
        );
      })}
      <PathOpener
        label={t('gpkg.pathLabel')}
        placeholder="/…/donnees.gpkg"
        browseLabel={t('gpkg.open')}
        testId="gpkg-open"
        open={async (p) => {
          const r = await client.call('gpkg.open', { path: p, jobId: `gpkg-open-${Date.now()}` });
          if (r.ok) onOpened(r.value);
          return r;
        }}
      />
    </Stack>
  );
}
