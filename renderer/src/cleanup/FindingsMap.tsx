import { useEffect, useRef } from 'react';
import { useComputedColorScheme } from '@mantine/core';
import OlMap from 'ol/Map.js';
import View from 'ol/View.js';
import Feature from 'ol/Feature.js';
import Point from 'ol/geom/Point.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import VectorTileLayer from 'ol/layer/VectorTile.js';
import VectorTileSource from 'ol/source/VectorTile.js';
import MVT from 'ol/format/MVT.js';
import { defaults as defaultControls } from 'ol/control/defaults.js';
import { fromLonLat } from 'ol/proj.js';
import { boundingExtent } from 'ol/extent.js';
import { Circle, Fill, Stroke, Style } from 'ol/style.js';
import 'ol/ol.css';
import type { Severity } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import { departementStyle, PALETTES } from '../map/styles.js';

export interface FlaggedPoint {
  fid: number;
  lon: number;
  lat: number;
  severity: Severity;
}

const COLORS: Record<Severity, string> = { error: '#e03131', warning: '#f08c00', info: '#1c7ed6' };

/**
 * The flagged observations of the open check group on a small map of their own, coloured by
 * severity, over the workspace's département outlines; the selected one is larger. A click on a
 * point selects its finding. Points that are not longitude/latitude (still in another CRS) are
 * left out: they have no place on a map until they are reprojected.
 */
export function FindingsMap({ workspace, points, selectedFid, onSelect }: { workspace: string; points: FlaggedPoint[]; selectedFid: number | null; onSelect: (fid: number) => void }) {
  const { client, transport } = useEngine();
  const scheme = useComputedColorScheme('light');
  const target = useRef<HTMLDivElement>(null);
  const mapRef = useRef<OlMap | null>(null);
  const sourceRef = useRef<VectorSource<Feature<Point>> | null>(null);
  const selectedRef = useRef<number | null>(selectedFid);
  const layerRef = useRef<VectorLayer | null>(null);
  const onSelectRef = useRef(onSelect);

  useEffect(() => {
    onSelectRef.current = onSelect;
  }, [onSelect]);

  useEffect(() => {
    if (!target.current) return;
    const cache = new Map<string, Style>();
    const source = new VectorSource<Feature<Point>>();
    sourceRef.current = source;
    const layer = new VectorLayer({
      source,
      zIndex: 10,
      style: (f) => {
        const sev = f.get('severity') as Severity;
        const hot = f.get('fid') === selectedRef.current;
        const key = `${sev}:${hot}`;
        let s = cache.get(key);
        if (!s) {
          s = new Style({
            image: new Circle({ radius: hot ? 8 : 5, fill: new Fill({ color: hot ? '#fab005' : COLORS[sev] }), stroke: new Stroke({ color: '#ffffff', width: hot ? 2 : 1 }) }),
            zIndex: hot ? 10 : sev === 'error' ? 2 : 1,
          });
          cache.set(key, s);
        }
        return s;
      },
    });
    layerRef.current = layer;
    const map = new OlMap({ target: target.current, layers: [layer], view: new View({ center: fromLonLat([6.2, 44.8]), zoom: 7, maxZoom: 18 }), controls: defaultControls({ attribution: false, rotate: false }) });
    map.on('singleclick', (e) => {
      map.forEachFeatureAtPixel(
        e.pixel,
        (f) => {
          const fid = f.get('fid') as number | undefined;
          if (typeof fid === 'number') onSelectRef.current(fid);
          return true;
        },
        { layerFilter: (l) => l === layer, hitTolerance: 4 },
      );
    });
    mapRef.current = map;
    return () => {
      map.setTarget(undefined);
      mapRef.current = null;
    };
  }, []);

  // The workspace's départements, for context.
  useEffect(() => {
    let alive = true;
    let added: VectorTileLayer | null = null;
    void client.call('map.sources', { path: workspace }).then((r) => {
      const map = mapRef.current;
      if (!alive || !r.ok || !map) return;
      const dep = r.value.layers.find((l) => l.role === 'departements');
      if (!dep) return;
      added = new VectorTileLayer({ source: new VectorTileSource({ format: new MVT(), url: transport.tileUrl(r.value.sourceId, dep.layer), maxZoom: 14 }), style: departementStyle(PALETTES[scheme]), zIndex: 0 });
      map.addLayer(added);
    });
    return () => {
      alive = false;
      if (added) mapRef.current?.removeLayer(added);
    };
  }, [client, transport, workspace, scheme]);

  useEffect(() => {
    const source = sourceRef.current;
    if (!source) return;
    source.clear();
    const drawn = points.filter((p) => Math.abs(p.lon) <= 180 && Math.abs(p.lat) <= 90);
    source.addFeatures(drawn.map((p) => new Feature({ geometry: new Point(fromLonLat([p.lon, p.lat])), fid: p.fid, severity: p.severity })));
    if (target.current) target.current.dataset.flagged = String(drawn.length);
    const map = mapRef.current;
    if (map && drawn.length) {
      const ext = boundingExtent(drawn.map((p) => fromLonLat([p.lon, p.lat])));
      map.getView().fit(ext, { padding: [24, 24, 24, 24], maxZoom: 13, duration: 0 });
    }
  }, [points]);

  useEffect(() => {
    selectedRef.current = selectedFid;
    layerRef.current?.changed();
    const p = points.find((x) => x.fid === selectedFid);
    if (p && Math.abs(p.lon) <= 180 && Math.abs(p.lat) <= 90) mapRef.current?.getView().animate({ center: fromLonLat([p.lon, p.lat]), duration: 250 });
  }, [selectedFid, points]);

  return <div ref={target} data-testid="clean-map" style={{ height: 280, width: '100%', borderRadius: 4, overflow: 'hidden', border: '1px solid var(--mantine-color-default-border)', background: PALETTES[scheme].background }} />;
}
