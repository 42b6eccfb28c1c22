import { useEffect, useRef, useState } from 'react';
import { Checkbox, CloseButton, Group, Paper, Stack, Text } from '@mantine/core';
import { useComputedColorScheme } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import OlMap from 'ol/Map.js';
import View from 'ol/View.js';
import VectorTileLayer from 'ol/layer/VectorTile.js';
import VectorTileSource from 'ol/source/VectorTile.js';
import MVT from 'ol/format/MVT.js';
import ScaleLine from 'ol/control/ScaleLine.js';
import { defaults as defaultControls } from 'ol/control/defaults.js';
import { fromLonLat, transformExtent } from 'ol/proj.js';
import 'ol/ol.css';
import type { Extent, MapSources } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { communeStyle, departementStyle, observationStyle, PALETTES } from '../map/styles.js';

interface Picked {
  nom_cite?: string;
  cd_nom?: number;
  date_min?: string;
  n: number;
}

type Role = 'departements' | 'communes' | 'observations';

/**
 * The map: département and commune outlines (no tile server is reachable offline) under the
 * observations, all drawn from vector tiles the engine serves. Canvas 2D only, no WebGL.
 */
export function MapView({ sources, extent }: { sources: MapSources | null; extent: Extent | null }) {
  const { t } = useTranslation();
  const { transport } = useEngine();
  const scheme = useComputedColorScheme('light');
  const palette = PALETTES[scheme];
  const target = useRef<HTMLDivElement>(null);
  const mapRef = useRef<OlMap | null>(null);
  const layersRef = useRef(new Map<Role, VectorTileLayer>());
  const [visible, setVisible] = useState<Record<Role, boolean>>({ departements: true, communes: true, observations: true });
  const [picked, setPicked] = useState<Picked | null>(null);

  // The map itself, once.
  useEffect(() => {
    if (!target.current) return;
    const map = new OlMap({
      target: target.current,
      view: new View({ center: fromLonLat([6.2, 44.8]), zoom: 8, maxZoom: 18 }),
      controls: defaultControls({ attribution: false }).extend([new ScaleLine()]),
    });
    mapRef.current = map;
    const el = target.current;
    // Hooks for the end-to-end test and for screen readers: what was drawn, once drawing settled.
    map.on('rendercomplete', () => {
      const obs = layersRef.current.get('observations');
      const size = map.getSize();
      let drawn = 0;
      if (obs && size) drawn = obs.getFeaturesInExtent(map.getView().calculateExtent(size)).length;
      el.dataset.renderComplete = 'true';
      el.dataset.observationsRendered = String(drawn);
    });
    map.on('singleclick', (e) => {
      const obs = layersRef.current.get('observations');
      const f = map.forEachFeatureAtPixel(e.pixel, (feat) => feat, { layerFilter: (l) => l === obs, hitTolerance: 4 });
      if (!f) {
        setPicked(null);
        return;
      }
      setPicked({
        nom_cite: f.get('nom_cite') as string | undefined,
        cd_nom: f.get('cd_nom') as number | undefined,
        date_min: f.get('date_min') as string | undefined,
        n: Number(f.get('n') ?? 1),
      });
    });
    return () => {
      map.setTarget(undefined);
      mapRef.current = null;
    };
  }, []);

  // Layers, whenever the workspace (or the colour scheme) changes.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    for (const l of layersRef.current.values()) map.removeLayer(l);
    layersRef.current.clear();
    if (!sources) return;
    const order: Role[] = ['departements', 'communes', 'observations'];
    for (const role of order) {
      const def = sources.layers.find((l) => l.role === role);
      if (!def) continue;
      const layer = new VectorTileLayer({
        source: new VectorTileSource({ format: new MVT(), url: transport.tileUrl(sources.sourceId, def.layer), maxZoom: 14 }),
        style: role === 'departements' ? departementStyle(palette) : role === 'communes' ? communeStyle(palette) : observationStyle(palette),
        visible: visible[role],
        minZoom: role === 'communes' ? 7 : undefined,
      });
      layer.set('role', role);
      layersRef.current.set(role, layer);
      map.addLayer(layer);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- visibility is applied by its own effect
  }, [sources, transport, palette]);

  useEffect(() => {
    for (const [role, layer] of layersRef.current) layer.setVisible(visible[role]);
  }, [visible]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !extent) return;
    const e = transformExtent([extent.minX, extent.minY, extent.maxX, extent.maxY], `EPSG:${extent.srsId === 4326 ? 4326 : extent.srsId}`, 'EPSG:3857');
    map.getView().fit(e, { padding: [48, 48, 48, 48], maxZoom: 14 });
  }, [extent]);

  return (
    <div style={{ position: 'relative', width: '100%', height: '100%', background: palette.background }}>
      <div ref={target} data-testid="map" role="img" aria-label={t('map.label')} style={{ position: 'absolute', inset: 0 }} />
      <Paper shadow="sm" p="xs" radius="md" withBorder style={{ position: 'absolute', top: 12, right: 12, zIndex: 2 }}>
        <Stack gap={4}>
          <Text size="xs" fw={700}>
            {t('map.layers')}
          </Text>
          {(['observations', 'communes', 'departements'] as const).map((role) => (
            <Checkbox
              key={role}
              size="xs"
              label={t(`map.${role}`)}
              checked={visible[role]}
              onChange={(e) => setVisible((v) => ({ ...v, [role]: e.currentTarget.checked }))}
            />
          ))}
        </Stack>
      </Paper>
      {picked && (
        <Paper shadow="md" p="sm" radius="md" withBorder data-testid="feature-popup" style={{ position: 'absolute', bottom: 16, left: 16, zIndex: 2, minWidth: 240 }}>
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Stack gap={2}>
              <Text fw={700} fs="italic">
                {picked.nom_cite ?? '—'}
              </Text>
              <Text size="sm">
                {t('map.cdNom')} : {picked.cd_nom ?? '—'} · {t('map.date')} : {picked.date_min ?? '—'}
              </Text>
              {picked.n > 1 && (
                <Text size="xs" c="dimmed">
                  {t('map.grouped', { count: picked.n })}
                </Text>
              )}
            </Stack>
            <CloseButton aria-label={t('map.close')} onClick={() => setPicked(null)} />
          </Group>
        </Paper>
      )}
    </div>
  );
}
