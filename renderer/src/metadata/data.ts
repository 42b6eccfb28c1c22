import { useEffect, useState } from 'react';
import type { ApiError, MetadataCatalog, MetadataRecordView, MetadataTree, MetadataValidation } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';
import type { Lang } from './format.js';

export interface MetadataData {
  tree: MetadataTree | null;
  validation: MetadataValidation | null;
  catalog: MetadataCatalog | null;
  error: ApiError | null;
  /** True while the data of the current key is being read (the previous data is still shown). */
  loading: boolean;
}

/**
 * The CA → JDD tree, the validation of every record and the nomenclature catalog of a
 * workspace, read again when `version` changes (after each write). The previous answer stays
 * on screen while the new one comes, so the tree does not flicker.
 */
export function useMetadataData(workspace: string, version: number, lang: Lang): MetadataData {
  const { client } = useEngine();
  const key = `${workspace}\n${version}\n${lang}`;
  const [state, setState] = useState<{ key: string; tree: MetadataTree | null; validation: MetadataValidation | null; catalog: MetadataCatalog | null; error: ApiError | null }>({
    key: '',
    tree: null,
    validation: null,
    catalog: null,
    error: null,
  });

  useEffect(() => {
    let alive = true;
    const [ws = '', , l] = key.split('\n');
    const language: Lang = l === 'en' ? 'en' : 'fr';
    void (async () => {
      const [tree, validation, catalog] = await Promise.all([
        client.call('metadata.tree', { workspace: ws }),
        client.call('metadata.validate', { workspace: ws, lang: language }),
        client.call('metadata.catalog', { workspace: ws }),
      ]);
      if (!alive) return;
      const error = !tree.ok ? tree.error : !validation.ok ? validation.error : !catalog.ok ? catalog.error : null;
      setState((prev) => ({
        key,
        tree: tree.ok ? tree.value : prev.key.split('\n')[0] === ws ? prev.tree : null,
        validation: validation.ok ? validation.value : null,
        catalog: catalog.ok ? catalog.value : prev.catalog,
        error,
      }));
    })();
    return () => {
      alive = false;
    };
  }, [client, key]);

  const sameWorkspace = state.key.split('\n')[0] === workspace;
  return {
    tree: sameWorkspace ? state.tree : null,
    validation: sameWorkspace ? state.validation : null,
    catalog: sameWorkspace ? state.catalog : null,
    error: state.key === key ? state.error : null,
    loading: state.key !== key,
  };
}

/** One CA or JDD for the form, read again when `version` changes. */
export function useRecord(workspace: string, target: { entity: 'framework' | 'dataset'; uuid: string } | null, version: number, lang: Lang): { view: MetadataRecordView | null; error: ApiError | null; key: string } {
  const { client } = useEngine();
  const key = target ? `${workspace}\n${target.entity}\n${target.uuid}\n${version}\n${lang}` : '';
  const [state, setState] = useState<{ key: string; view: MetadataRecordView | null; error: ApiError | null }>({ key: '', view: null, error: null });

  useEffect(() => {
    if (!key) return;
    let alive = true;
    const [ws = '', entity, uuid = '', , l] = key.split('\n');
    void client.call('metadata.get', { workspace: ws, entity: entity === 'framework' ? 'framework' : 'dataset', uuid, lang: l === 'en' ? 'en' : 'fr' }).then((r) => {
      if (!alive) return;
      setState({ key, view: r.ok ? r.value : null, error: r.ok ? null : r.error });
    });
    return () => {
      alive = false;
    };
  }, [client, key]);

  return state.key === key ? state : { key, view: null, error: null };
}
