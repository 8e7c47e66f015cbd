import { useId, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import type { Vendor } from '../api';
import { useI18n } from '../i18n';

/** One choice of a <select>. */
export interface Option {
  value: string;
  label: string;
}

/** A chain's stores as choices: "Name (code)". */
export const storeOptions = (vendors: Vendor[] | null | undefined): Option[] => (vendors ?? []).map((v) => ({ value: v.id, label: `${v.name} (${v.code})` }));

/** A labelled <select>; `all` adds a first choice with the empty value (no filter). */
export function SelectField({ label, value, onChange, options, all, hint, testId, disabled, after }: { label: ReactNode; value: string; onChange: (value: string) => void; options: Option[]; all?: string; hint?: ReactNode; testId?: string; disabled?: boolean; after?: Option[] }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} disabled={disabled}>
        {all !== undefined && <option value="">{all}</option>}
        {[...options, ...(after ?? [])].map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && <small>{hint}</small>}
    </div>
  );
}

/** A labelled <input> (any type but checkbox); the other attributes go to the input. */
export function TextField({ label, value, onChange, hint, hintId, grow, ...input }: { label: ReactNode; value: string; onChange: (value: string) => void; hint?: ReactNode; hintId?: string; grow?: boolean } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'id'>) {
  const id = useId();
  return (
    <div className={grow ? 'field grow' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input id={id} value={value} onChange={(e) => onChange(e.target.value)} {...input} />
      {hint && <small id={hintId}>{hint}</small>}
    </div>
  );
}

/** A button in a row of fields, level with the inputs (an empty label line above it). */
export function ButtonField({ children, type = 'submit', className, disabled, onClick }: { children: ReactNode; type?: 'submit' | 'button'; className?: string; disabled?: boolean; onClick?: () => void }) {
  return (
    <div className="field">
      <span aria-hidden="true">&nbsp;</span>
      <button type={type} className={className} disabled={disabled} onClick={onClick}>
        {children}
      </button>
    </div>
  );
}

/** A panel of fields in a row, submitted as one (`search` makes it a search landmark). */
export function InlineForm({ onSubmit, label, search, children }: { onSubmit: () => void; label?: string; search?: boolean; children: ReactNode }) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form className="panel inline-form" role={search ? 'search' : undefined} aria-label={label} onSubmit={submit}>
      {children}
    </form>
  );
}

/** A list's filter bar: submitting applies the fields (`onApply`), by default with an "Apply" button at the end. */
export function FilterBar({ onApply, search = true, apply, children }: { onApply: () => void; search?: boolean; apply?: ReactNode; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <InlineForm onSubmit={onApply} label={t('common.filters')} search={search}>
      {children}
      {apply ?? <ButtonField>{t('common.apply')}</ButtonField>}
    </InlineForm>
  );
}

/** A form's refusal (the server's message) under the form, announced at once; nothing when there is none. */
export function FormError({ message, testId }: { message: string | null | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <div className="notice error" role="alert" data-testid={testId}>
      {message}
    </div>
  );
}

/** A dialog form's buttons: cancel, and the submit button (disabled while `busy`). */
export function DialogButtons({ onCancel, submit, busy, disabled }: { onCancel: () => void; submit: ReactNode; busy?: boolean; disabled?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="dialog-actions">
      <button type="button" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      <button type="submit" className="primary" disabled={busy || disabled}>
        {submit}
      </button>
    </div>
  );
}

/** A dialog's single closing button. */
export function CloseButton({ onClose, label, primary, autoFocus }: { onClose: () => void; label?: string; primary?: boolean; autoFocus?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="dialog-actions">
      <button type="button" className={primary ? 'primary' : undefined} onClick={onClose} autoFocus={autoFocus}>
        {label ?? t('common.close')}
      </button>
    </div>
  );
}

/** A checkbox per store (the caller says which are checked and what a click changes). */
export function StoreChecklist({ vendors, isChecked, onToggle }: { vendors: Vendor[]; isChecked: (v: Vendor) => boolean; onToggle: (v: Vendor, on: boolean) => void }) {
  return (
    <div className="chips-list">
      {vendors.map((v) => (
        <label key={v.id} className="check">
          <input type="checkbox" checked={isChecked(v)} onChange={(e) => onToggle(v, e.target.checked)} /> {v.name}
        </label>
      ))}
    </div>
  );
}

/** A set with one member added or removed (for checkbox lists). */
export function toggled<T>(set: Set<T>, item: T, on: boolean): Set<T> {
  const next = new Set(set);
  if (on) next.add(item);
  else next.delete(item);
  return next;
}
