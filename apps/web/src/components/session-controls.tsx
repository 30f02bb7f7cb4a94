import { useState, type FormEvent } from 'react';
import type { InvitationCreated, InvitableRole, SessionStatus } from '@parley/contracts';
import { useI18n } from '../i18n/i18n';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { roleLabel, statusLabel } from '../views/labels';
import { ErrorNote } from './shell';
import { Select } from './select';

const NEXT: Record<SessionStatus, Array<{ to: SessionStatus; key: 'session.open' | 'session.suspend' | 'session.resume' | 'session.close' }>> = {
  draft: [{ to: 'open', key: 'session.open' }, { to: 'closed', key: 'session.close' }],
  open: [{ to: 'suspended', key: 'session.suspend' }, { to: 'closed', key: 'session.close' }],
  suspended: [{ to: 'open', key: 'session.resume' }, { to: 'closed', key: 'session.close' }],
  closed: [],
};

/** The session's status and, for the lead mediator, the transitions it allows. */
export function StatusControls({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const { run, busy, error } = useAction();
  const lead = state.me.role === 'lead_mediator';
  const change = (to: SessionStatus) => {
    if (to === 'closed' && !confirm(t('session.confirmClose'))) return;
    void run(() => ctl.ask('session.changeStatus', { status: to }));
  };
  return (
    <div className="status-controls">
      <span className={`badge status-${state.status}`} data-testid="session-status">{statusLabel(t, state.status)}</span>
      {lead && NEXT[state.status].map((n) => (
        <button key={n.to} type="button" disabled={busy} onClick={() => change(n.to)}>{t(n.key)}</button>
      ))}
      <ErrorNote error={error} />
    </div>
  );
}

/** Invite a delegation member, a co-mediator or an observer: the link is shown once, to copy. */
export function InvitePanel({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const [role, setRole] = useState<InvitableRole>('party_member');
  const [partyId, setPartyId] = useState(state.session.parties[0]?.id ?? '');
  const [isHead, setIsHead] = useState(false);
  const [email, setEmail] = useState('');
  const [created, setCreated] = useState<InvitationCreated[]>([]);
  const { run, busy, error } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const inv = await run(() => ctl.ask('invitation.create', {
      role, ...(role === 'party_member' ? { partyId, isHead } : {}), ...(email.trim() ? { email: email.trim() } : {}),
    }));
    if (inv) setCreated((c) => [inv, ...c]);
  };

  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title">{t('invite.title')}</h2>
      <form onSubmit={submit} className="stack">
        <Select label={t('invite.role')} value={role} onChange={(v) => setRole(v as InvitableRole)}>
          <option value="party_member">{t('role.party_member')}</option>
          <option value="co_mediator">{t('role.co_mediator')}</option>
          <option value="observer">{t('role.observer')}</option>
        </Select>
        {role === 'party_member' && (
          <>
            <Select label={t('invite.party')} value={partyId} onChange={setPartyId}>
              {state.session.parties.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </Select>
            <label className="inline"><input type="checkbox" checked={isHead} onChange={(e) => setIsHead(e.target.checked)} /> {t('invite.head')}</label>
          </>
        )}
        <label>{t('invite.email')}<input type="email" value={email} onChange={(e) => setEmail(e.target.value)} /></label>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>{t('invite.create')}</button>
      </form>
      {created.length > 0 && (
        <ul className="links">
          {created.map((inv) => (
            <li key={inv.id}>
              <label>{t('invite.linkFor', { who: [roleLabel(t, inv.role, inv.isHead), state.session.parties.find((p) => p.id === inv.partyId)?.name].filter(Boolean).join(' · ') })}
                <input readOnly value={inv.url} data-testid="invitation-link" onFocus={(e) => e.currentTarget.select()} />
              </label>
              <button type="button" className="quiet" onClick={() => void navigator.clipboard?.writeText(inv.url)}>{t('invite.copy')}</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
