import type * as GdalTypes from 'gdal-async';
import { gdal as loadGdal, gdalError } from '../gpkg/gdal.js';

/** Colours of the preview (RGB). */
export const PREVIEW_COLOURS = {
  background: [246, 248, 245],
  /** Areas sensitive observations are generalised to (commune, 10 km cell, département). */
  area: [240, 178, 122],
  areaEdge: [196, 110, 40],
  /** Published precise geometries: points (drawn as small disks), lines and polygons. */
  precise: [31, 94, 52],
  frame: [120, 130, 125],
} as const;

/** Radius of a point's disk, in pixels. */
export const POINT_RADIUS = 2;

export interface PreviewResult {
  readonly width: number;
  readonly height: number;
  readonly points: number;
  readonly areas: number;
  /** The box drawn (lon/lat), and how a lon/lat becomes a pixel. */
  readonly box: { readonly west: number; readonly south: number; readonly east: number; readonly north: number };
}

/** The pixel (column, row) of a lon/lat in a preview of this box and size. */
export function pixelOf(box: PreviewResult['box'], width: number, height: number, lon: number, lat: number): [number, number] {
  return [Math.floor(((lon - box.west) / (box.east - box.west)) * width), Math.floor(((box.north - lat) / (box.north - box.south)) * height)];
}

/**
 * A map preview of a bundle's published geometries, drawn by the engine with GDAL (no tile server,
 * nothing downloaded): the areas sensitive observations are generalised to, rasterised by GDAL,
 * and the precise points as small disks, over a plain background, written as PNG by GDAL's PNG
 * driver. It reads the bundle's own data file only (`data/observations.gpkg`, else the GeoJSON),
 * never the workspace: it cannot show a location the bundle does not publish.
 */
export async function renderPreview(source: string, out: string, opts: { width?: number } = {}): Promise<PreviewResult> {
  const gdal = loadGdal();
  let ds: GdalTypes.Dataset;
  try {
    ds = await gdal.openAsync(source);
  } catch (e) {
    throw gdalError(e, source);
  }
  try {
    const layer = ds.layers.count() > 1 ? (ds.layers.get('observations') ?? ds.layers.get(0)) : ds.layers.get(0);
    const layerName = layer.name;
    const env = layer.getExtent();
    let west = env.minX;
    let east = env.maxX;
    let south = env.minY;
    let north = env.maxY;
    if (!(east > west)) {
      west -= 0.01;
      east += 0.01;
    }
    if (!(north > south)) {
      south -= 0.01;
      north += 0.01;
    }
    const padX = (east - west) * 0.04;
    const padY = (north - south) * 0.04;
    west -= padX;
    east += padX;
    south -= padY;
    north += padY;
    // Plate carrée with the longitude scaled at the middle latitude, so the map is not stretched.
    const k = Math.cos((((south + north) / 2) * Math.PI) / 180);
    const width = opts.width ?? 800;
    let height = Math.round(width * ((north - south) / ((east - west) * k)));
    if (height > 1000) {
      // Too tall: widen the box instead.
      height = 1000;
      const needed = ((north - south) * width) / (height * k);
      const mid = (west + east) / 2;
      west = mid - needed / 2;
      east = mid + needed / 2;
    } else if (height < 240) {
      height = 240;
      const needed = ((east - west) * k * height) / width;
      const mid = (south + north) / 2;
      south = mid - needed / 2;
      north = mid + needed / 2;
    }
    const mem = gdal.drivers.get('MEM').create('', width, height, 3, gdal.GDT_Byte);
    try {
      mem.geoTransform = [west, (east - west) / width, 0, north, 0, -(north - south) / height];
      mem.srs = gdal.SpatialReference.fromEPSG(4326);
      PREVIEW_COLOURS.background.forEach((v, i) => mem.bands.get(i + 1).fill(v));
      const quoted = layerName.replace(/"/g, '""');
      const nonPoints = `OGR_GEOMETRY NOT IN ('POINT', 'MULTIPOINT')`;
      const burn = (rgb: readonly number[], where: string, extra: string[] = []) =>
        gdal.rasterizeAsync(mem, ds, ['-b', '1', '-b', '2', '-b', '3', ...rgb.flatMap((v) => ['-burn', String(v)]), '-dialect', 'OGRSQL', '-sql', `SELECT * FROM "${quoted}" WHERE ${where}`, ...extra]);
      const hasPublication = layer.fields.getNames().includes('publication');
      const areaWhere = hasPublication ? `${nonPoints} AND publication = 'generalised'` : `${nonPoints}`;
      // The areas with an outline: every pixel they touch in the edge colour, then the pixels whose
      // centre is inside in the fill colour; what is left of the first is a one-pixel boundary.
      await burn(PREVIEW_COLOURS.areaEdge, areaWhere, ['-at']);
      await burn(PREVIEW_COLOURS.area, areaWhere);
      if (hasPublication) await burn(PREVIEW_COLOURS.precise, `${nonPoints} AND publication = 'precise'`, ['-at']);
      // Points: small disks, drawn on the pixels.
      const bands = [1, 2, 3].map((b) => mem.bands.get(b).pixels.read(0, 0, width, height) as Uint8Array);
      const box = { west, south, east, north };
      const paint = (x: number, y: number, rgb: readonly number[]) => {
        if (x < 0 || y < 0 || x >= width || y >= height) return;
        const o = y * width + x;
        rgb.forEach((v, i) => ((bands[i] as Uint8Array)[o] = v));
      };
      let points = 0;
      let areas = 0;
      const disk = (lon: number, lat: number) => {
        const [cx, cy] = pixelOf(box, width, height, lon, lat);
        for (let dy = -POINT_RADIUS; dy <= POINT_RADIUS; dy++) for (let dx = -POINT_RADIUS; dx <= POINT_RADIUS; dx++) if (dx * dx + dy * dy <= POINT_RADIUS * POINT_RADIUS + 1) paint(cx + dx, cy + dy, PREVIEW_COLOURS.precise);
      };
      layer.features.forEach((feat) => {
        const g = feat.getGeometry();
        if (!g) return;
        const type = g.wkbType & 0xff;
        if (type === gdal.wkbPoint) {
          const p = g as GdalTypes.Point;
          disk(p.x, p.y);
          points++;
        } else if (type === gdal.wkbMultiPoint) {
          (g as GdalTypes.MultiPoint).children.forEach((c) => disk((c as GdalTypes.Point).x, (c as GdalTypes.Point).y));
          points++;
        } else areas++;
      });
      for (let x = 0; x < width; x++) {
        paint(x, 0, PREVIEW_COLOURS.frame);
        paint(x, height - 1, PREVIEW_COLOURS.frame);
      }
      for (let y = 0; y < height; y++) {
        paint(0, y, PREVIEW_COLOURS.frame);
        paint(width - 1, y, PREVIEW_COLOURS.frame);
      }
      bands.forEach((px, i) => mem.bands.get(i + 1).pixels.write(0, 0, width, height, px));
      mem.flush();
      const png = await gdal.drivers.get('PNG').createCopyAsync(out, mem);
      png.close();
      return { width, height, points, areas, box };
    } finally {
      mem.close();
    }
  } finally {
    ds.close();
  }
}
