import { useCallback } from 'react';
import { api, type ActorLabel } from '../api';
import { hasMessage, useI18n } from '../i18n';
import { useLoad } from './ui';

/** "Ana Admin" for user:<id>, "Command line" for cli, …: names from GET /chains/:id/actors. */
export function useActorNames(chainId: string, reloadKey: unknown = 0): (actor: string) => string {
  const { t } = useI18n();
  const { data } = useLoad(() => api<{ actors: ActorLabel[] }>('GET', `/chains/${chainId}/actors`), [chainId, reloadKey]);
  return useCallback(
    (actor: string) => {
      const found = data?.actors.find((a) => a.actor === actor);
      if (found?.name) return found.name;
      const kind = found?.kind ?? actor.split(':')[0]!;
      const key = `actor.${kind}`;
      return hasMessage(key) ? t(key) : actor;
    },
    [data, t],
  );
}
