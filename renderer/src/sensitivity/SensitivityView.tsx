import { useCallback, useEffect, useState } from 'react';
import { Accordion, Alert, Button, Grid, Group, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError, SensitivityCheckSummary } from '../../../shared/contract/index.js';
import type { WorkspaceViewProps } from '../views/context.js';
import { useEngine } from '../api/engine.js';
import { errorText } from '../i18n/index.js';
import { CheckForm } from './CheckForm.js';
import { ExplanationDrawer } from './Explanation.js';
import { MAP_LAYERS } from './format.js';
import { LocalRuleForm } from './LocalRuleForm.js';
import { Overrides } from './Overrides.js';
import { Referentials } from './Referentials.js';
import { Report } from './Report.js';
import { LocalRulesList, RulesBrowser } from './Rules.js';

/**
 * The sensitivity view (issue 6): the workspace's referentials, local rules and pulled GeoNature
 * rules; the check as a job; its report (counts by level, taxon and JDD, what needs a look, the
 * sensitive observations with the rule that decided each); the explanation of one observation
 * with its override editor; and the map of precise and published locations.
 *
 * Every write (load, rule, check, override) bumps `version`, which every panel reloads on, and
 * refreshes the open workspace so the map draws the new results.
 */
export function SensitivityView({
  workspace,
  refreshWorkspace,
  showOnMap,
}: WorkspaceViewProps) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const path = workspace?.path ?? null;
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [summary, setSummary] = useState<{ key: string; check: SensitivityCheckSummary | null; error: ApiError | null }>({ key: '', check: null, error: null });
  const key = `${path}|${version}`;
  // The last summary read stays on screen while the next one comes.
  const check = summary.check;

  const changed = useCallback(() => {
    setVersion((v) => v + 1);
    void refreshWorkspace();
  }, [refreshWorkspace]);

  useEffect(() => {
    if (!path) return;
    let alive = true;
    const k = `${path}|${version}`;
    void client.call('sensitivity.report', { workspace: path, limit: 0 }).then((r) => {
      if (alive) setSummary({ key: k, check: r.ok ? r.value.check : null, error: r.ok ? null : r.error });
    });
    return () => {
      alive = false;
    };
  }, [client, path, version]);

  if (!path || !workspace) {
    return (
      <Text p="md" c="dimmed">
        {t('sens.noWorkspace')}
      </Text>
    );
  }

  const extent = workspace.extent;
  return (
    <ScrollArea h="100%" type="auto">
      <Stack p="md" gap="md" data-testid="sensitivity-view" data-version={version} data-ready={summary.key === key}>
        <Group justify="space-between" align="flex-start">
          <Stack gap={0}>
            <Title order={3}>{t('sens.title')}</Title>
            <Text size="xs" c="dimmed">
              {t('sens.intro')}
            </Text>
          </Stack>
          <Stack gap={4} align="flex-end">
            <Group gap={4}>
              <Button size="xs" variant="light" disabled={!check} onClick={() => showOnMap(extent, MAP_LAYERS.precise)} data-testid="sens-map-precise">
                {t('sens.map.precise')}
              </Button>
              <Button size="xs" variant="light" disabled={!check} onClick={() => showOnMap(extent, MAP_LAYERS.published)} data-testid="sens-map-published">
                {t('sens.map.published')}
              </Button>
              <Button size="xs" variant="light" disabled={!check} onClick={() => showOnMap(extent, MAP_LAYERS.both)} data-testid="sens-map-both">
                {t('sens.map.both')}
              </Button>
            </Group>
            <Text size="xs" c="dimmed">
              {t('sens.map.hint')}
            </Text>
          </Stack>
        </Group>
        {summary.error && <Alert color="red">{errorText(t, summary.error)}</Alert>}
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Stack gap="lg">
              <CheckForm workspace={path} onChecked={changed} />
              <Referentials workspace={path} version={version} onChanged={changed} />
              <Accordion variant="separated" multiple defaultValue={[]}>
                <Accordion.Item value="local">
                  <Accordion.Control data-testid="sens-local-toggle">{t('sens.local.title')}</Accordion.Control>
                  <Accordion.Panel>
                    <Stack gap="md">
                      <LocalRulesList workspace={path} version={version} onChanged={changed} />
                      <Text size="sm" fw={600}>
                        {t('sens.local.add')}
                      </Text>
                      <LocalRuleForm workspace={path} onAdded={changed} />
                    </Stack>
                  </Accordion.Panel>
                </Accordion.Item>
                <Accordion.Item value="rules">
                  <Accordion.Control data-testid="sens-rules-toggle">{t('sens.rules.title')}</Accordion.Control>
                  <Accordion.Panel>
                    <RulesBrowser workspace={path} version={version} />
                  </Accordion.Panel>
                </Accordion.Item>
              </Accordion>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <Stack gap="lg">
              <Report workspace={path} version={version} check={check} onExplain={setSelected} />
              <Overrides workspace={path} version={version} onExplain={setSelected} onChanged={changed} />
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
      <ExplanationDrawer
        workspace={path}
        uuid={selected}
        version={version}
        onClose={() => setSelected(null)}
        onChanged={changed}
        onExplain={setSelected}
        showOnMap={(e, layers) => showOnMap(e ?? extent, layers)}
      />
    </ScrollArea>
  );
}
