import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, qs, type Answer, type Role } from '../api';
import { useChain } from '../chain';
import { DataTable, type Column } from '../components/DataTable';
import { CloseButton, DialogButtons, FilterBar, FormError, SelectField, TextField } from '../components/fields';
import { Pager } from '../components/Pager';
import { pageNumberPager, pageParam } from '../components/paging';
import { ConfirmDialog, ErrorBox, FieldError, Modal, Notice, PageHeader, SecretField, errorText, useLoad } from '../components/ui';
import { useSubmit } from '../components/submit';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import { useQueryParams } from '../router';
import { useSession } from '../session';

export const USERS_PAGE = 25;

type Member = Answer<'/chains/{chainId}/users'>['users'][number];
type PasswordLink = Answer<'/chains/{chainId}/users/{userId}/password-link', 'post', 201>;

/** A one-time link, shown once: the admin passes it on (no e-mail is sent). */
function LinkDialog({ link, email, onDone }: { link: PasswordLink; email: string; onDone: () => void }) {
  const { t } = useI18n();
  const { place } = useChain();
  // This portal's own address: right even when PUBLIC_URL names another host (a proxy, a test server).
  const at = new URL(link.url);
  const url = `${window.location.origin}${at.pathname}${at.hash}`;
  return (
    <Modal open title={link.purpose === 'invite' ? t('users.link.inviteTitle') : t('users.link.resetTitle')} onClose={onDone}>
      <p>{t(link.purpose === 'invite' ? 'users.link.inviteBody' : 'users.link.resetBody', { email })}</p>
      <SecretField label={t('users.link.label')} value={url} />
      <p className="muted">{t('users.link.expires', { at: formatDateTime(link.expires_at, place) })}</p>
      <CloseButton onClose={onDone} label={t('secret.done')} primary />
    </Modal>
  );
}

/** Invite a person as staff or admin. */
function InviteDialog({ onClose, onInvited }: { onClose: () => void; onInvited: (m: Member, link: PasswordLink | null) => void }) {
  const { t } = useI18n();
  const { chain } = useChain();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('staff');
  const [tried, setTried] = useState(false);
  const { busy, error: serverError, setError: setServerError, run } = useSubmit();
  const ids = { email: useId(), emailErr: useId(), name: useId(), role: useId() };
  const emailError = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()) ? null : t('users.invalidEmail');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setServerError(null);
    if (emailError) return;
    await run(async () => {
      const r = await api<{ user: Member; link: PasswordLink | null }>('POST', `/chains/${chain.id}/users`, { email: email.trim(), role, ...(name.trim() ? { name: name.trim() } : {}) });
      onInvited(r.user, r.link);
    });
  };
  return (
    <Modal open title={t('users.invite')} onClose={onClose}>
      <form onSubmit={submit} noValidate data-testid="invite-form">
        <div className="field">
          <label htmlFor={ids.email}>{t('login.email')}</label>
          <input id={ids.email} type="email" value={email} onChange={(e) => setEmail(e.target.value)} maxLength={254} aria-invalid={tried && emailError ? true : undefined} aria-describedby={tried && emailError ? ids.emailErr : undefined} />
          <FieldError id={ids.emailErr} message={tried ? emailError : null} />
        </div>
        <div className="field">
          <label htmlFor={ids.name}>{t('common.name')}</label>
          <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor={ids.role}>{t('users.role')}</label>
          <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="staff">{t('user.role.staff')}</option>
            <option value="admin">{t('user.role.admin')}</option>
          </select>
          <small>{t('users.roleHint')}</small>
        </div>
        <FormError message={serverError} />
        <DialogButtons onCancel={onClose} busy={busy} submit={t('users.sendInvite')} />
      </form>
    </Modal>
  );
}

type Pending = { kind: 'deactivate' | 'reactivate' | 'reset'; member: Member } | null;

/** Shops Integrations → users (admins): invite, change roles, deactivate, one-time password links. */
export function UsersPage() {
  const { t } = useI18n();
  const { chain, place } = useChain();
  const { state } = useSession();
  const me = state.status === 'signed-in' ? state.user.id : '';
  const [params, update] = useQueryParams();
  const q = params.get('q') ?? '';
  const role = params.get('role') ?? '';
  const status = params.get('status') ?? '';
  const page = pageParam(params.get('page'));
  const [term, setTerm] = useState(q);
  useEffect(() => setTerm(q), [q]);
  const [changes, setChanges] = useState(0);
  const [inviting, setInviting] = useState(false);
  const [link, setLink] = useState<{ link: PasswordLink; email: string } | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [notice, setNotice] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);
  const list = useLoad(() => api<{ users: Member[]; pagination: { total_count: number } }>('GET', `/chains/${chain.id}/users${qs({ q: q.trim(), role, status, page, page_size: USERS_PAGE })}`), [chain.id, q, role, status, page, changes]);

  const run = async (fn: () => Promise<void>) => {
    try {
      await fn();
      setChanges((n) => n + 1);
    } catch (err) {
      setNotice({ text: errorText(t, err), kind: 'error' });
    }
  };
  const changeRole = (m: Member, next: Role) =>
    run(async () => {
      await api('PATCH', `/chains/${chain.id}/users/${m.id}`, { role: next });
      setNotice({ text: t('users.roleChanged', { email: m.email, role: t(`user.role.${next}`) }), kind: 'ok' });
    });
  const confirm = () => {
    const p = pending;
    setPending(null);
    if (!p) return;
    if (p.kind === 'reset') {
      void run(async () => {
        const l = await api<PasswordLink>('POST', `/chains/${chain.id}/users/${p.member.id}/password-link`);
        setLink({ link: l, email: p.member.email });
      });
    } else {
      void run(async () => {
        await api('PATCH', `/chains/${chain.id}/users/${p.member.id}`, { active: p.kind === 'reactivate' });
        setNotice({ text: t(p.kind === 'reactivate' ? 'users.reactivated' : 'users.deactivated', { email: p.member.email }), kind: 'ok' });
      });
    }
  };

  const columns: Array<Column<Member>> = [
    {
      key: 'name',
      header: t('common.name'),
      rowHeader: true,
      render: (m) => (
        <span className="stack">
          <span>{m.name}</span>
          <span className="muted">{m.email}</span>
        </span>
      ),
    },
    {
      key: 'role',
      header: t('users.role'),
      render: (m) => (
        <select aria-label={t('users.roleOf', { email: m.email })} value={m.role} disabled={m.status === 'disabled'} onChange={(e) => void changeRole(m, e.target.value as Role)}>
          <option value="staff">{t('user.role.staff')}</option>
          <option value="admin">{t('user.role.admin')}</option>
        </select>
      ),
    },
    { key: 'status', header: t('common.status'), render: (m) => <span className={`badge user-${m.status}`}>{t(`users.status.${m.status}`)}</span> },
    { key: 'other', header: t('users.otherChains'), className: 'num', render: (m) => (m.other_chains ? String(m.other_chains) : t('common.none')) },
    { key: 'since', header: t('users.since'), className: 'nowrap', render: (m) => formatDateTime(m.created_at, place) },
    {
      key: 'actions',
      header: t('common.actions'),
      srOnlyHeader: true,
      className: 'actions',
      render: (m) => (
        <span className="actions-row">
          {m.status !== 'disabled' && (
            <button type="button" className="small" onClick={() => setPending({ kind: 'reset', member: m })} aria-label={t(m.status === 'invited' ? 'users.newInviteFor' : 'users.resetFor', { email: m.email })}>
              {m.status === 'invited' ? t('users.newInvite') : t('users.reset')}
            </button>
          )}
          {m.id !== me &&
            (m.status === 'disabled' ? (
              <button type="button" className="small" onClick={() => setPending({ kind: 'reactivate', member: m })} aria-label={t('users.reactivateFor', { email: m.email })}>
                {t('users.reactivate')}
              </button>
            ) : (
              <button type="button" className="small danger" onClick={() => setPending({ kind: 'deactivate', member: m })} aria-label={t('users.deactivateFor', { email: m.email })}>
                {t('users.deactivate')}
              </button>
            ))}
        </span>
      ),
    },
  ];
  const total = list.data?.pagination.total_count ?? 0;
  return (
    <>
      <PageHeader
        title={t('users.title')}
        intro={t('users.intro')}
        actions={
          <button type="button" className="primary" onClick={() => setInviting(true)}>
            {t('users.invite')}
          </button>
        }
      />
      <FilterBar onApply={() => update({ q: term.trim(), page: null })}>
        <TextField label={t('users.search')} type="search" value={term} onChange={setTerm} maxLength={100} />
        <SelectField
          label={t('users.role')}
          value={role}
          onChange={(v) => update({ role: v, page: null })}
          all={t('common.all')}
          options={[
            { value: 'admin', label: t('user.role.admin') },
            { value: 'staff', label: t('user.role.staff') },
          ]}
        />
        <SelectField label={t('common.status')} value={status} onChange={(v) => update({ status: v, page: null })} all={t('common.all')} options={(['active', 'invited', 'disabled'] as const).map((s) => ({ value: s, label: t(`users.status.${s}`) }))} />
      </FilterBar>
      <Notice message={notice?.text ?? null} kind={notice?.kind} />
      <ErrorBox error={list.error} onRetry={() => void list.reload()} />
      <DataTable
        columns={columns}
        rows={list.data?.users ?? null}
        rowKey={(m) => m.id}
        rowProps={(m) => ({ 'data-email': m.email, 'data-status': m.status })}
        label={t('users.title')}
        testId="users-table"
        pager={list.data && total > 0 ? <Pager {...pageNumberPager(page, USERS_PAGE, list.data.users.length, total, (p) => update({ page: p }), 'users-pager')} /> : undefined}
      />
      {inviting && (
        <InviteDialog
          onClose={() => setInviting(false)}
          onInvited={(m, l) => {
            setInviting(false);
            setChanges((n) => n + 1);
            setNotice({ text: t(l ? 'users.invited' : 'users.added', { email: m.email }), kind: 'ok' });
            if (l) setLink({ link: l, email: m.email });
          }}
        />
      )}
      {link && <LinkDialog link={link.link} email={link.email} onDone={() => setLink(null)} />}
      <ConfirmDialog
        open={pending !== null}
        title={pending ? t(`users.confirm.${pending.kind}.title`, { email: pending.member.email }) : ''}
        body={pending ? t(`users.confirm.${pending.kind}.body`) : ''}
        confirmLabel={pending ? t(`users.confirm.${pending.kind}.action`) : ''}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      />
    </>
  );
}
