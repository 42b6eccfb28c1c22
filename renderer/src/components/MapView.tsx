import { useEffect, useMemo, useRef, useState } from 'react';
import { Checkbox, CloseButton, Group, Paper, ScrollArea, Stack, Table, Text } from '@mantine/core';
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
import type { Extent } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import type { MapOverlay } from '../map/overlays.js';
import { communeStyle, dataStyle, departementStyle, PALETTES, sensitivityStyle } from '../map/styles.js';

/** What the popup shows: a title and attribute rows. */
interface Picked {
  title: string;
  rows: Array<[string, string]>;
  grouped: number;
}

/** A request to fit the view: the extent (WGS 84) and a key that changes when a new fit is wanted. */
export interface FitRequest {
  extent: Extent;
  key: string;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'object') return 'blob' in (v as object) ? `BLOB (${(v as { blob: number }).blob} o)` : JSON.stringify(v);
  return String(v);
}

/**
 * The map: vector-tile overlays from the engine (département and commune outlines, the
 * workspace's observations, opened GeoPackage layers). Canvas 2D only, no WebGL, no basemap
 * (nothing can be fetched offline).
 */
export function MapView({
  overlays,
  fit,
  highlight,
  solo = null,
}: {
  overlays: MapOverlay[];
  fit: FitRequest | null;
  highlight: { overlayId: string; fid: number } | null;
  /** Show only these overlays (ids); a new `key` asks again, and the layer list still toggles them. */
  solo?: { ids: readonly string[]; key: string } | null;
}) {
  const { t } = useTranslation();
  const { client } = useEngine();
  const scheme = useComputedColorScheme('light');
  const palette = PALETTES[scheme];
  const target = useRef<HTMLDivElement>(null);
  const mapRef = useRef<OlMap | null>(null);
  const layersRef = useRef(new Map<string, { layer: VectorTileLayer; overlay: MapOverlay }>());
  const highlightRef = useRef(highlight);
  // Hidden overlays, and the solo request they already account for: a newer request hides every other overlay.
  const [visibility, setVisibility] = useState<{ soloKey: string | null; hidden: Set<string> }>({ soloKey: null, hidden: new Set() });
  const hidden = useMemo(
    () => (solo && solo.key !== visibility.soloKey ? new Set(overlays.filter((o) => !solo.ids.includes(o.id)).map((o) => o.id)) : visibility.hidden),
    [solo, visibility, overlays],
  );
  const [picked, setPicked] = useState<Picked | null>(null);

  // The map itself, once.
  useEffect(() => {
    if (!target.current) return;
    const map = new OlMap({
      target: target.current,
      view: new View({ center: fromLonLat([6.2, 44.8]), zoom: 8, maxZoom: 20 }),
      controls: defaultControls({ attribution: false }).extend([new ScaleLine()]),
    });
    mapRef.current = map;
    const el = target.current;
    // Hooks for the end-to-end tests and for assistive tools: what was drawn, once drawing settled.
    map.on('rendercomplete', () => {
      const size = map.getSize();
      const counts: Record<string, number> = {};
      for (const [id, { layer }] of layersRef.current) {
        counts[id] = size && layer.getVisible() ? layer.getFeaturesInExtent(map.getView().calculateExtent(size)).length : 0;
      }
      el.dataset.renderComplete = 'true';
      el.dataset.observationsRendered = String(counts['workspace:observations'] ?? 0);
      el.dataset.rendered = JSON.stringify(counts);
    });
    return () => {
      map.setTarget(undefined);
      mapRef.current = null;
    };
  }, []);

  // Clicking a feature shows its attributes: from the tile for observations, from the engine for GeoPackage features.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const onClick = (e: { pixel: number[] }) => {
      let hit: { overlay: MapOverlay; props: Record<string, unknown>; fid: number | null } | null = null;
      map.forEachFeatureAtPixel(
        e.pixel,
        (feat, layer) => {
          const entry = [...layersRef.current.values()].find((x) => x.layer === layer);
          if (!entry || entry.overlay.role === 'departements' || entry.overlay.role === 'communes' || entry.overlay.role === 'sensitivity-published') return undefined;
          const id = feat.getId();
          hit = { overlay: entry.overlay, props: feat.getProperties(), fid: typeof id === 'number' ? id : Number(feat.get('fid') ?? NaN) };
          return true;
        },
        { hitTolerance: 4 },
      );
      if (!hit) {
        setPicked(null);
        return;
      }
      const { overlay, props, fid } = hit as { overlay: MapOverlay; props: Record<string, unknown>; fid: number | null };
      const grouped = Number(props.n ?? 1);
      if (overlay.source.kind === 'workspace') {
        setPicked({
          title: cellText(props.nom_cite),
          rows: [
            [t('map.cdNom'), cellText(props.cd_nom)],
            [t('map.date'), cellText(props.date_min)],
            ...(props.blur !== undefined
              ? ([
                  [t('map.sensitivity'), cellText(props.level)],
                  [t('map.blur'), t(`map.blurLevel.${String(props.blur)}`, { defaultValue: cellText(props.blur) })],
                ] as Array<[string, string]>)
              : []),
          ],
          grouped,
        });
        return;
      }
      if (fid === null || Number.isNaN(fid)) return;
      void client.call('gpkg.feature', { path: overlay.source.path, layer: overlay.source.layer, fid }).then((r) => {
        if (!r.ok) return;
        setPicked({
          title: `${overlay.label} · fid ${fid}`,
          rows: Object.entries(r.value.values).map(([k, v]) => [k, cellText(v)]),
          grouped,
        });
      });
    };
    map.on('singleclick', onClick);
    return () => map.un('singleclick', onClick);
  }, [client, t]);

  // Layers, whenever the overlays (or the colour scheme) change.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const wanted = new Set(overlays.map((o) => `${o.id}|${o.url}`));
    for (const [id, { layer, overlay }] of layersRef.current) {
      if (!wanted.has(`${id}|${overlay.url}`)) {
        map.removeLayer(layer);
        layersRef.current.delete(id);
      }
    }
    overlays.forEach((o, i) => {
      const existing = layersRef.current.get(o.id);
      const style =
        o.role === 'departements'
          ? departementStyle(palette)
          : o.role === 'communes'
            ? communeStyle(palette)
            : o.role === 'sensitivity-precise' || o.role === 'sensitivity-published'
              ? sensitivityStyle(o.role === 'sensitivity-precise' ? 'precise' : 'published', palette.observationStroke)
              : dataStyle(o.role === 'observations' ? palette.observation : (o.color ?? '#1c7ed6'), palette.observationStroke, () => (highlightRef.current?.overlayId === o.id ? highlightRef.current.fid : null), palette.highlight);
      if (existing) {
        existing.layer.setStyle(style);
        existing.layer.setZIndex(i);
        return;
      }
      const layer = new VectorTileLayer({
        source: new VectorTileSource({ format: new MVT(), url: o.url, maxZoom: 14 }),
        style,
        zIndex: i,
        minZoom: o.role === 'communes' ? 7 : undefined,
      });
      layersRef.current.set(o.id, { layer, overlay: o });
      map.addLayer(layer);
    });
  }, [overlays, palette]);

  useEffect(() => {
    for (const [id, { layer }] of layersRef.current) layer.setVisible(!hidden.has(id));
  }, [hidden, overlays]);

  useEffect(() => {
    highlightRef.current = highlight;
    for (const { layer } of layersRef.current.values()) layer.changed();
  }, [highlight]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !fit) return;
    const e = fit.extent;
    const ext = transformExtent([e.minX, e.minY, e.maxX, e.maxY], 'EPSG:4326', 'EPSG:3857');
    map.getView().fit(ext, { padding: [48, 48, 48, 48], maxZoom: 16, duration: 0 });
  }, [fit]);

  return (
    <div style={{ position: 'relative', width: '100%', height: '100%', background: palette.background }}>
      <div
        ref={target}
        data-testid="map"
        data-highlight={highlight ? `${highlight.overlayId}#${highlight.fid}` : ''}
        role="img"
        aria-label={t('map.label')}
        style={{ position: 'absolute', inset: 0 }}
      />
      {overlays.length > 0 && (
        <Paper shadow="sm" p="xs" radius="md" withBorder style={{ position: 'absolute', top: 12, right: 12, zIndex: 2, maxWidth: 260 }}>
          <Stack gap={4}>
            <Text size="xs" fw={700}>
              {t('map.layers')}
            </Text>
            {[...overlays].reverse().map((o) => (
              <Checkbox
                key={o.id}
                size="xs"
                color={o.role === 'data' ? o.color : undefined}
                label={o.label}
                checked={!hidden.has(o.id)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  const next = new Set(hidden);
                  if (on) next.delete(o.id);
                  else next.add(o.id);
                  setVisibility({ soloKey: solo?.key ?? null, hidden: next });
                }}
              />
            ))}
          </Stack>
        </Paper>
      )}
      {picked && (
        <Paper shadow="md" p="sm" radius="md" withBorder data-testid="feature-popup" style={{ position: 'absolute', bottom: 16, left: 16, zIndex: 2, minWidth: 260, maxWidth: 420 }}>
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Text fw={700}>{picked.title}</Text>
            <CloseButton aria-label={t('map.close')} onClick={() => setPicked(null)} />
          </Group>
          <ScrollArea.Autosize mah={260}>
            <Table fz="xs" withRowBorders={false} verticalSpacing={2}>
              <Table.Tbody>
                {picked.rows.map(([k, v]) => (
                  <Table.Tr key={k}>
                    <Table.Td c="dimmed">{k}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-word' }}>{v}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
          {picked.grouped > 1 && (
            <Text size="xs" c="dimmed">
              {t('map.grouped', { count: picked.grouped })}
            </Text>
          )}
        </Paper>
      )}
    </div>
  );
}
