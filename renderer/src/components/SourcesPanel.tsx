import { Divider, ScrollArea, Stack, Text } from '@mantine/core';
import { IconDatabase, IconFolderOpen, IconStack2 } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

function Section({ icon, title, children }: { icon: ReactNode; title: string; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Text size="xs" fw={700} tt="uppercase" c="dimmed" style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
        {icon}
        {title}
      </Text>
      {children}
    </Stack>
  );
}

/**
 * The sidebar: the workspace, then the GeoPackages and GeoNature connections (empty until
 * the GeoPackage and GeoNature features arrive: they say so, and show nothing invented).
 */
export function SourcesPanel({ workspace }: { workspace: ReactNode }) {
  const { t } = useTranslation();
  return (
    <ScrollArea h="100%" p="md" type="auto">
      <Stack gap="md">
        <Section icon={<IconFolderOpen size={14} />} title={t('sources.workspace')}>
          {workspace}
        </Section>
        <Divider />
        <Section icon={<IconStack2 size={14} />} title={t('sources.geopackages')}>
          <Text size="sm" c="dimmed">
            {t('sources.noGeopackage')}
          </Text>
        </Section>
        <Divider />
        <Section icon={<IconDatabase size={14} />} title={t('sources.geonature')}>
          <Text size="sm" c="dimmed">
            {t('sources.noConnection')}
          </Text>
        </Section>
      </Stack>
    </ScrollArea>
  );
}
