import { useState, type DragEvent, type ReactNode } from 'react';
import { ActionIcon, Badge, Checkbox, Group, Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconDots, IconFolder, IconGripVertical } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { MetadataTree as Tree, MetadataTreeDataset, MetadataTreeFramework } from '../../../shared/contract/index.js';

/** The MIME type a dragged JDD carries (its UUID). */
const JDD_MIME = 'application/x-passerelle-jdd';

export type TreeAction =
  | { kind: 'split'; dataset: string }
  | { kind: 'merge'; into: string; sources: string[] }
  | { kind: 'move'; datasets: string[]; framework: string | null }
  | { kind: 'reassign'; to: string | null }
  | { kind: 'export'; dataset: string | null }
  | { kind: 'newFramework'; from: string | null }
  | { kind: 'bulk'; datasets: string[] };

export interface Selection {
  entity: 'framework' | 'dataset';
  uuid: string;
}

const STATUS_COLOR = { server: 'gray', modified: 'orange', created: 'cyan' } as const;

function Counts({ errors, warnings, observations }: { errors: number; warnings: number; observations: number }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap" style={{ flex: 'none' }}>
      {errors > 0 && (
        <Badge size="xs" color="red" variant="light" data-testid="meta-node-errors">
          {t('meta.tree.errors', { count: errors })}
        </Badge>
      )}
      {warnings > 0 && (
        <Badge size="xs" color="orange" variant="light">
          {t('meta.tree.warnings', { count: warnings })}
        </Badge>
      )}
      <Badge size="xs" variant="light" data-testid="meta-node-observations">
        {t('meta.tree.observations', { count: observations })}
      </Badge>
    </Group>
  );
}

/**
 * The CA → JDD tree: state, observations and issues per record. A JDD can be dragged onto
 * another CA (or moved from its menu, the keyboard way); its menu also splits, merges,
 * reassigns and exports. Ticked JDD go to the bulk edit.
 */
export function MetadataTree({
  tree,
  selected,
  checked,
  onSelect,
  onCheck,
  onAction,
}: {
  tree: Tree;
  selected: Selection | null;
  checked: string[];
  onSelect: (s: Selection) => void;
  onCheck: (uuid: string, on: boolean) => void;
  onAction: (a: TreeAction) => void;
}) {
  const { t } = useTranslation();
  const [collapsed, setCollapsed] = useState<string[]>([]);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const isSelected = (entity: Selection['entity'], uuid: string) => selected?.entity === entity && selected.uuid === uuid;
  const byParent = new Map<string | null, MetadataTreeFramework[]>();
  const known = new Set(tree.frameworks.map((f) => f.uuid));
  for (const f of tree.frameworks) {
    const parent = f.parentUuid && known.has(f.parentUuid) && f.parentUuid !== f.uuid ? f.parentUuid : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), f]);
  }

  const dataset = (d: MetadataTreeDataset, depth: number) => (
    <Group
      key={d.uuid}
      gap={4}
      wrap="nowrap"
      pl={depth * 16}
      pr={4}
      py={2}
      draggable
      onDragStart={(e: DragEvent) => {
        e.dataTransfer.setData(JDD_MIME, d.uuid);
        e.dataTransfer.setData('text/plain', d.name);
        e.dataTransfer.effectAllowed = 'move';
      }}
      style={{ borderRadius: 6, background: isSelected('dataset', d.uuid) ? 'var(--mantine-primary-color-light)' : undefined, cursor: 'grab' }}
      data-testid="meta-dataset"
      data-uuid={d.uuid}
      data-name={d.name}
      data-status={d.status}
    >
      <IconGripVertical size={12} style={{ flex: 'none', opacity: 0.4 }} />
      <Checkbox size="xs" aria-label={t('meta.tree.tick', { name: d.name })} checked={checked.includes(d.uuid)} onChange={(e) => onCheck(d.uuid, e.currentTarget.checked)} />
      <UnstyledButton style={{ flex: 1, minWidth: 0 }} onClick={() => onSelect({ entity: 'dataset', uuid: d.uuid })} data-testid="meta-dataset-select">
        <Stack gap={0}>
          <Text size="sm" lineClamp={2} title={d.name} c={d.active === false ? 'dimmed' : undefined} td={d.active === false ? 'line-through' : undefined} data-testid="meta-dataset-name">
            {d.name || d.uuid}
          </Text>
          <Group gap={4} wrap="nowrap">
            <Badge size="xs" variant="dot" color={STATUS_COLOR[d.status]} style={{ flex: 'none' }} data-testid="meta-node-status">
              {t(`meta.status.${d.status}`)}
            </Badge>
            <Counts errors={d.errors} warnings={d.warnings} observations={d.observations} />
            <Text size="xs" c="dimmed" truncate="end">
              {d.shortName}
              {d.dateMin ? ` · ${d.dateMin.slice(0, 4)}–${(d.dateMax ?? d.dateMin).slice(0, 4)}` : ''}
            </Text>
          </Group>
        </Stack>
      </UnstyledButton>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon size="sm" variant="subtle" color="gray" aria-label={t('meta.tree.actions', { name: d.name })} data-testid="meta-dataset-menu">
            <IconDots size={14} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => onAction({ kind: 'split', dataset: d.uuid })} data-testid="meta-action-split">
            {t('meta.action.split')}
          </Menu.Item>
          <Menu.Item onClick={() => onAction({ kind: 'merge', into: d.uuid, sources: checked.filter((u) => u !== d.uuid) })} data-testid="meta-action-merge">
            {t('meta.action.merge')}
          </Menu.Item>
          <Menu.Item onClick={() => onAction({ kind: 'move', datasets: [d.uuid], framework: null })} data-testid="meta-action-move">
            {t('meta.action.move')}
          </Menu.Item>
          <Menu.Item onClick={() => onAction({ kind: 'reassign', to: d.uuid })} data-testid="meta-action-reassign">
            {t('meta.action.reassign')}
          </Menu.Item>
          <Menu.Item onClick={() => onAction({ kind: 'bulk', datasets: checked.includes(d.uuid) ? checked : [d.uuid] })}>{t('meta.action.bulk')}</Menu.Item>
          <Menu.Divider />
          <Menu.Item onClick={() => onAction({ kind: 'export', dataset: d.uuid })} data-testid="meta-action-export">
            {t('meta.action.export')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );

  const framework = (f: MetadataTreeFramework, depth: number): ReactNode => {
    const open = !collapsed.includes(f.uuid);
    const children = byParent.get(f.uuid) ?? [];
    const accepts = !f.isMetaFramework;
    return (
      <Stack key={f.uuid} gap={0}>
        <Group
          gap={4}
          wrap="nowrap"
          pl={depth * 16}
          pr={4}
          py={3}
          style={{
            borderRadius: 6,
            background: dropTarget === f.uuid ? 'var(--mantine-color-blue-light)' : isSelected('framework', f.uuid) ? 'var(--mantine-primary-color-light)' : undefined,
            outline: dropTarget === f.uuid ? '2px dashed var(--mantine-color-blue-filled)' : undefined,
          }}
          onDragOver={(e: DragEvent) => {
            if (!accepts || !e.dataTransfer.types.includes(JDD_MIME)) return;
            e.preventDefault();
            e.dataTransfer.dropEffect = 'move';
            if (dropTarget !== f.uuid) setDropTarget(f.uuid);
          }}
          onDragLeave={() => setDropTarget((cur) => (cur === f.uuid ? null : cur))}
          onDrop={(e: DragEvent) => {
            setDropTarget(null);
            const uuid = e.dataTransfer.getData(JDD_MIME);
            if (!accepts || !uuid) return;
            e.preventDefault();
            if (!f.datasets.some((d) => d.uuid === uuid)) onAction({ kind: 'move', datasets: [uuid], framework: f.uuid });
          }}
          data-testid="meta-framework"
          data-uuid={f.uuid}
          data-name={f.name}
        >
          <ActionIcon
            size="sm"
            variant="subtle"
            color="gray"
            aria-label={open ? t('meta.tree.collapse') : t('meta.tree.expand')}
            onClick={() => setCollapsed((c) => (open ? [...c, f.uuid] : c.filter((x) => x !== f.uuid)))}
          >
            {open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
          </ActionIcon>
          <UnstyledButton style={{ flex: 1, minWidth: 0 }} onClick={() => onSelect({ entity: 'framework', uuid: f.uuid })} data-testid="meta-framework-select">
            <Group gap={6} wrap="nowrap">
              <IconFolder size={16} style={{ flex: 'none' }} />
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="sm" fw={600} truncate="end" title={f.name}>
                  {f.isMetaFramework ? `${t('meta.tree.meta')} · ` : ''}
                  {f.name || f.uuid}
                </Text>
                <Group gap={4} wrap="nowrap">
                  <Badge size="xs" variant="dot" color={STATUS_COLOR[f.status]} style={{ flex: 'none' }} data-testid="meta-node-status">
                    {t(`meta.status.${f.status}`)} · {t('meta.tree.datasets', { count: f.datasets.length })}
                  </Badge>
                  <Counts errors={f.errors} warnings={f.warnings} observations={f.observations} />
                </Group>
              </Stack>
            </Group>
          </UnstyledButton>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon size="sm" variant="subtle" color="gray" aria-label={t('meta.tree.actions', { name: f.name })} data-testid="meta-framework-menu">
                <IconDots size={14} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => onAction({ kind: 'newFramework', from: f.uuid })}>{t('meta.action.copyFramework')}</Menu.Item>
              {accepts && checked.length > 0 && <Menu.Item onClick={() => onAction({ kind: 'move', datasets: checked, framework: f.uuid })}>{t('meta.action.moveTicked', { count: checked.length })}</Menu.Item>}
            </Menu.Dropdown>
          </Menu>
        </Group>
        {open && (
          <Stack gap={0}>
            {children.map((c) => framework(c, depth + 1))}
            {f.datasets.map((d) => dataset(d, depth + 1))}
            {f.datasets.length === 0 && children.length === 0 && (
              <Text size="xs" c="dimmed" pl={(depth + 1) * 16 + 28} py={2}>
                {accepts ? t('meta.tree.emptyDrop') : t('meta.tree.empty')}
              </Text>
            )}
          </Stack>
        )}
      </Stack>
    );
  };

  return (
    <Stack gap={2} data-testid="meta-tree">
      {(byParent.get(null) ?? []).map((f) => framework(f, 0))}
      {tree.orphans.length > 0 && (
        <Stack gap={0} data-testid="meta-orphans">
          <Group gap={6} py={3} pl={4}>
            <IconFolder size={16} style={{ opacity: 0.5 }} />
            <Text size="sm" fw={600} c="dimmed">
              {t('meta.tree.orphans')}
            </Text>
          </Group>
          {tree.orphans.map((d) => dataset(d, 1))}
        </Stack>
      )}
      {tree.frameworks.length === 0 && tree.orphans.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('meta.tree.nothing')}
        </Text>
      )}
    </Stack>
  );
}
