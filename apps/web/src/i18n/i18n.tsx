import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ar } from './messages.ar';
import { en, type MessageKey, type Messages } from './messages.en';
import { fr } from './messages.fr';
import { format } from './format';

export const LOCALES = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'fr', name: 'Français', dir: 'ltr' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
] as const;
export type Locale = (typeof LOCALES)[number]['code'];

const CATALOGUES: Record<Locale, Messages> = { en, fr, ar };
const KEY = 'parley.locale';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  locale: Locale;
  dir: 'ltr' | 'rtl';
  t: Translate;
  setLocale: (l: Locale) => void;
  /** Dates and times in the reader's language. */
  time: (iso: string) => string;
}

const Ctx = createContext<I18n | null>(null);

function initialLocale(): Locale {
  const saved = localStorage.getItem(KEY);
  if (saved && saved in CATALOGUES) return saved as Locale;
  const nav = navigator.language.slice(0, 2);
  return nav in CATALOGUES ? (nav as Locale) : 'en';
}

/** The language the user chose, applied to <html lang dir> so the whole page flows with it. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const dir = LOCALES.find((l) => l.code === locale)!.dir;
  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = dir;
  }, [locale, dir]);
  const setLocale = useCallback((l: Locale) => {
    localStorage.setItem(KEY, l);
    setLocaleState(l);
  }, []);
  const value = useMemo<I18n>(() => {
    const cat = CATALOGUES[locale];
    const timeFmt = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
    return {
      locale,
      dir,
      setLocale,
      t: (key, vars) => format(cat[key] ?? en[key], vars),
      time: (iso) => timeFmt.format(new Date(iso)),
    };
  }, [locale, dir, setLocale]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
