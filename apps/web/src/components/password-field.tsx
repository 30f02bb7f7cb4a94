import { useI18n } from '../i18n/i18n';
import { ErrorNote } from './shell';

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

/**
 * The password typed again to confirm a grave act (signing off, deleting a clause): the server checks
 * it afresh. A wrong one is said in the act's own words (`wrongSentence`: what was not done); any
 * other refusal by its code's sentence.
 */
export function ReauthPassword(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error: { code: string; field?: string } | null;
  wrongSentence: string;
}) {
  const wrongPassword = props.error?.code === 'INVALID_CREDENTIALS';
  return (
    <>
      <label>
        {props.label}
        <input
          type="password"
          autoComplete="current-password"
          required
          value={props.value}
          aria-invalid={wrongPassword || undefined}
          onChange={(e) => props.onChange(e.target.value)}
        />
      </label>
      {wrongPassword ? (
        <p className="error" role="alert" data-code="INVALID_CREDENTIALS" data-field="password">
          {props.wrongSentence}
        </p>
      ) : (
        <ErrorNote error={props.error} />
      )}
    </>
  );
}
