import { ApiError } from './api';
import { hasMessage, type Translate } from './i18n';

/** How the portal words a failed call: a sentence in the UI language, and whether trying again can help. */
export interface ErrorView {
  text: string;
  /** Only server trouble, the network and rate limits are worth repeating. */
  retry: boolean;
  /** The request field the error names (`body.products[0].price`), when it names one. */
  field?: string;
}

interface Details {
  field?: string;
  fields?: Array<{ field?: string; problem?: string }>;
  sku?: string;
  invalid_vendors?: string[];
  min_length?: number;
}

/** The field an error is about: from details, else from the message's leading `body.x …`. */
export function errorField(err: ApiError): string | undefined {
  const d = (err.details ?? {}) as Details;
  const named = d.fields?.[0]?.field ?? d.field;
  if (named) return named;
  return /^((?:body|query|params|headers)(?:\.[\w-]+|\[\d+\])+)/.exec(err.message)?.[1];
}

function vars(err: ApiError): Record<string, string | number> {
  const d = (err.details ?? {}) as Details;
  const sku = d.sku ?? /"([^"]+)"/.exec(err.message)?.[1] ?? '';
  return {
    code: err.code,
    field: errorField(err) ?? '',
    sku,
    vendors: (d.invalid_vendors ?? []).join(', '),
    min: d.min_length ?? 12,
    seconds: err.retryAfterSeconds ?? 1,
  };
}

/**
 * Any failed call, in the UI language: the code's own sentence (with the SKU, field or stores it
 * names), never the server's English message, and a "try again" only where trying again can help.
 */
export function describeError(t: Translate, err: unknown): ErrorView {
  if (!(err instanceof ApiError)) return { text: t('error.client'), retry: true };
  if (err.status === 0) return { text: t('error.network'), retry: true };
  const v = vars(err);
  const field = errorField(err);
  if (err.status === 429) return { text: t('error.tooMany', v), retry: true };
  if (err.status >= 500) {
    const own = `error.code.${err.code}`;
    return { text: hasMessage(own) ? t(own, v) : t('error.server', v), retry: true };
  }
  if (err.code === 'VALIDATION_FAILED' && !field) return { text: t('error.validationForm'), retry: false };
  const key = `error.code.${err.code}`;
  const text = hasMessage(key) ? t(key, v) : t('error.refused', v);
  return field ? { text, retry: false, field } : { text, retry: false };
}
