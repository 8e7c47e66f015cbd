import { useState } from 'react';
import { api } from '../api';
import type { Column } from './DataTable';
import { ConfirmDialog, StatusBadge, errorText } from './ui';
import { formatDateTime, type Place } from '../format';
import { useI18n, type Translate } from '../i18n';

/** What API tokens and OAuth clients have in common: who made them, when, the last use, the status. */
interface Credential {
  name: string;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
}

/**
 * The columns after a credential's own ones (tokens, OAuth clients): created, by whom, last used,
 * status, and a revoke button while it is active.
 */
export function credentialColumns<T extends Credential>(t: Translate, place: Place, actorName: (actor: string) => string, of: { status: (row: T) => 'active' | 'revoked' | 'expired'; revoke: (row: T) => void }): Array<Column<T>> {
  return [
    { key: 'created', header: t('common.created'), render: (r) => formatDateTime(r.created_at, place) },
    { key: 'createdBy', header: t('common.createdBy'), render: (r) => actorName(r.created_by) },
    { key: 'lastUsed', header: t('common.lastUsed'), render: (r) => (r.last_used_at ? formatDateTime(r.last_used_at, place) : t('common.never')) },
    { key: 'status', header: t('common.status'), render: (r) => <StatusBadge status={of.status(r)} /> },
    {
      key: 'actions',
      header: t('common.actions'),
      srOnlyHeader: true,
      className: 'actions',
      render: (r) =>
        of.status(r) === 'active' && (
          <button type="button" className="danger small" onClick={() => of.revoke(r)} aria-label={`${t('common.revoke')}: ${r.name}`}>
            {t('common.revoke')}
          </button>
        ),
    },
  ];
}

/**
 * Asks before revoking a credential (`target`), then revokes it with DELETE `path`; `onDone` gets what to
 * tell the user (`revoked`, or why it failed) and whether the list changed.
 */
export function RevokeConfirm({ target, path, title, body, revoked, onDone, onCancel }: { target: unknown; path: string; title: string; body: string; revoked: string; onDone: (notice: string, changed: boolean) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const revoke = async () => {
    setBusy(true);
    try {
      await api('DELETE', path);
      onDone(revoked, true);
    } catch (err) {
      onDone(errorText(t, err), false);
    } finally {
      setBusy(false);
    }
  };
  return <ConfirmDialog open={target !== null} title={title} body={body} confirmLabel={t('common.revoke')} busy={busy} onConfirm={() => void revoke()} onCancel={onCancel} />;
}

/**
 * The state a credential page (tokens, OAuth clients) keeps around its list: a counter that reloads it,
 * the last notice, and the credential being asked about before revoking.
 */
export function useCredentialPage<T>() {
  const [changes, setChanges] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<T | null>(null);
  /** A credential was created: say so and reload the list. */
  const created = (text: string) => {
    setNotice(text);
    setChanges((n) => n + 1);
  };
  /** The revoke dialog closed: say what happened, reload if anything changed. */
  const revoked = (text: string, changed: boolean) => {
    setNotice(text);
    if (changed) setChanges((n) => n + 1);
    setRevoking(null);
  };
  return { changes, notice, setNotice, revoking, setRevoking, created, revoked };
}
