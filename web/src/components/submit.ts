import { useState } from 'react';
import { useI18n } from '../i18n';
import { errorText } from './ui';

/**
 * One way to send a form or an action: `busy` while the call runs, its failure as one line of text in the
 * UI language (or in the page's own words, where `describe` knows the error), cleared on the next try.
 * `run` resolves to whether the work succeeded.
 */
export function useSubmit(describe?: (err: unknown) => string | null) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (err) {
      setError(describe?.(err) ?? errorText(t, err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
