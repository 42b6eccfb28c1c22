import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { errorMessagesEn, errorMessagesFr } from '../../../shared/i18n/errors.js';
import { gpkgConvertWarningsEn, gpkgConvertWarningsFr, gpkgRuleMessagesEn, gpkgRuleMessagesFr } from '../../../shared/i18n/gpkg-rules.js';
import { metadataResources } from '../../../shared/metadata/messages.js';
import type { ApiError } from '../../../shared/contract/index.js';
import { en } from './en.js';
import { fr } from './fr.js';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'passerelle.lang';

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'fr' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'fr';
}

/**
 * i18next with the UI strings and the engine's shared texts, French by default: error messages
 * (`errors.<KEY>`), GeoPackage validator findings (`gpkg.rule.<id>.message` / `.fix`), conversion
 * warnings (`gpkg.convert.<id>`) and the metadata texts (`metadata.*`, flat keys: i18next resolves
 * a dotted key that is stored whole, and some metadata keys are both a text and a prefix).
 */
export function createI18n(lang: Language = initialLanguage()): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: lang,
    fallbackLng: 'fr',
    resources: {
      fr: {
        translation: {
          ...metadataResources('fr'),
          ...fr,
          gpkg: { ...fr.gpkg, rule: gpkgRuleMessagesFr, convert: gpkgConvertWarningsFr },
          errors: errorMessagesFr,
        },
      },
      en: {
        translation: {
          ...metadataResources('en'),
          ...en,
          gpkg: { ...en.gpkg, rule: gpkgRuleMessagesEn, convert: gpkgConvertWarningsEn },
          errors: errorMessagesEn,
        },
      },
    },
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
  });
  instance.on('languageChanged', (l) => {
    localStorage.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l;
  });
  document.documentElement.lang = lang;
  return instance;
}

/**
 * The message of an engine error in the current language (`errors.<KEY>`, or `metadata.errors.<id>`
 * from the metadata formats), falling back to the engine's English.
 */
export function errorText(t: i18n['t'], e: ApiError): string {
  const key = e.details?.key;
  if (key && (key.startsWith('errors.') || key.startsWith('metadata.'))) {
    const text = t(key, { ...(e.details?.params ?? {}), defaultValue: '' });
    if (text) return text;
  }
  return e.message;
}
