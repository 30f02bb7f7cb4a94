import { useI18n } from '../i18n/i18n';

/** The password field of the sign-in, invitation and confirmation forms: `isNew` for a password being chosen. */
export function PasswordField(props: { value: string; onChange: (v: string) => void; isNew: boolean; required?: boolean }) {
  const { t } = useI18n();
  return (
    <label>
      {t('field.password')}
      <input
        type="password"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        required={props.required ?? true}
        minLength={props.isNew ? 10 : undefined}
        autoComplete={props.isNew ? 'new-password' : 'current-password'}
      />
    </label>
  );
}
