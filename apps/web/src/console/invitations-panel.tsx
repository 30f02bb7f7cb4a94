import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { InvitableRole, InvitationCreated, InvitationView } from '@parley/contracts';
import { ErrorNote } from '../components/shell';
import { Select } from '../components/select';
import { useI18n, type Translate } from '../i18n/i18n';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { consoleApi } from './console-api';
import { PersonBadges } from './person-badges';

/** Where an invitation stands, as the list says it. */
function stateLabel(t: Translate, i: InvitationView): string {
  const by = i.acceptedBy?.displayName ?? '';
  if (i.state === 'accepted') return t('invites.state.accepted', { name: by });
  if (i.state === 'revoked' && i.acceptedBy) return t('invites.state.revokedAfter', { name: by });
  return t(`invites.state.${i.state}`);
}

/**
 * Invitations as people: the mediator names the person (and their role, delegation, head, bound
 * address); the list is the server's (every invitation of the session with where it stands, so it
 * survives a reload); each can be revoked or given a new link (the old one revoked). A link is
 * shown once — only its hash is stored — so Copy is offered where it was just made, and says
 * "Copied" aloud (a live region). When the server builds links on localhost while serving other
 * machines, the panel says nobody else can open them.
 */
export function InvitationsPanel({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const parties = state.session.parties;
  const [role, setRole] = useState<InvitableRole>('party_member');
  const [name, setName] = useState('');
  const [partyId, setPartyId] = useState(parties[0]?.id ?? '');
  const [isHead, setIsHead] = useState(false);
  const [email, setEmail] = useState('');
  const [list, setList] = useState<InvitationView[] | null>(null);
  /** Links made in this page, by invitation id (a link cannot be read back from the server). */
  const [links, setLinks] = useState<Record<string, string>>({});
  const [localOnly, setLocalOnly] = useState(false);
  const [announce, setAnnounce] = useState('');
  /** The person's name is required here (the server takes it optional, for older API clients). */
  const [nameMissing, setNameMissing] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const { run, busy, error } = useAction();
  const sessionId = ctl.sessionId;

  const reload = useCallback(() => run(() => consoleApi.invitations(sessionId)).then((l) => l && setList(l)), [run, sessionId]);
  // Read again when someone arrives (an invitation was just accepted) or leaves.
  const people = state.overview ? state.overview.lobby.length + state.overview.rooms.reduce((n, r) => n + r.occupants.length, 0) : 0;
  useEffect(() => {
    void reload();
  }, [reload, people]);

  const created = async (inv: InvitationCreated | undefined) => {
    if (!inv) return;
    setLinks((l) => ({ ...l, [inv.id]: inv.url }));
    setLocalOnly(Boolean(inv.localOnly));
    await reload();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setNameMissing(true);
      nameInput.current?.focus();
      return;
    }
    setNameMissing(false);
    const inv = await run(() =>
      consoleApi.invite(sessionId, {
        role,
        displayName: name.trim(),
        ...(role === 'party_member' ? { partyId, isHead } : {}),
        ...(email.trim() ? { email: email.trim() } : {}),
      }),
    );
    if (inv) {
      setName('');
      setEmail('');
      setIsHead(false);
    }
    await created(inv);
  };

  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setAnnounce(t('invites.copied'));
    } catch {
      setAnnounce(t('invites.copyFailed'));
    }
    // Cleared so that copying again is announced again.
    setTimeout(() => setAnnounce(''), 4000);
  };

  const nameOf = (i: InvitationView) => i.displayName ?? t('invites.unnamed');
  const newestFirst = [...(list ?? [])].reverse();

  return (
    <section className="card invitations" aria-labelledby="invite-title">
      <h2 id="invite-title">{t('invites.title')}</h2>
      <form onSubmit={submit} className="stack">
        <label>
          <span>
            {t('invites.name')} <span className="required-mark">{t('invites.required')}</span>
          </span>
          <input
            ref={nameInput}
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (e.target.value.trim()) setNameMissing(false);
            }}
            maxLength={120}
            autoComplete="off"
            aria-required="true"
            aria-invalid={nameMissing || undefined}
            aria-describedby={nameMissing ? 'invite-name-error' : undefined}
          />
        </label>
        {nameMissing && (
          <p className="error" id="invite-name-error" role="alert" data-testid="invite-name-error">
            {t('invites.nameRequired')}
          </p>
        )}
        <Select label={t('invite.role')} value={role} onChange={(v) => setRole(v as InvitableRole)}>
          <option value="party_member">{t('role.party_member')}</option>
          <option value="co_mediator">{t('role.co_mediator')}</option>
          <option value="observer">{t('role.observer')}</option>
        </Select>
        {role === 'party_member' && (
          <>
            <Select label={t('invite.party')} value={partyId} onChange={setPartyId}>
              {parties.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </Select>
            <label className="inline">
              <input type="checkbox" checked={isHead} onChange={(e) => setIsHead(e.target.checked)} /> {t('invite.head')}
            </label>
          </>
        )}
        <label>
          {t('invite.email')}
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          {t('invites.create')}
        </button>
      </form>
      {localOnly && (
        <p className="notice warning" role="status" data-testid="local-links-warning">
          {t('invites.localOnly')}
        </p>
      )}
      <p className="sr-only" aria-live="polite" role="status" data-testid="copy-status">
        {announce}
      </p>
      <h3 id="invites-list-title">{t('invites.listTitle')}</h3>
      {list?.length === 0 && <p className="muted">{t('invites.none')}</p>}
      <ul className="invitations-list" aria-labelledby="invites-list-title">
        {newestFirst.map((i) => {
          const who = nameOf(i);
          const url = links[i.id];
          return (
            <li key={i.id} data-invitation-id={i.id} data-state={i.state} aria-label={who}>
              <bdi className="name">{who}</bdi>
              <PersonBadges role={i.role} isHead={i.isHead} partyId={i.partyId} parties={parties} />
              <span className="invitation-state muted">{stateLabel(t, i)}</span>
              {i.state !== 'revoked' && (
                <button
                  type="button"
                  className="quiet"
                  disabled={busy}
                  onClick={() => {
                    if (confirm(t('invites.confirmRevoke', { name: who })))
                      void run(() => consoleApi.revokeInvitation(sessionId, i.id)).then(reload);
                  }}
                >
                  {t('invites.revoke')}
                  <span className="sr-only"> — {who}</span>
                </button>
              )}
              {i.state !== 'accepted' && !i.acceptedBy && (
                <button
                  type="button"
                  className="quiet"
                  disabled={busy}
                  onClick={() => void run(() => consoleApi.reissueInvitation(sessionId, i.id)).then(created)}
                >
                  {t('invites.reissue')}
                  <span className="sr-only"> — {who}</span>
                </button>
              )}
              {url && i.state !== 'revoked' && (
                <span className="invitation-link">
                  <label className="sr-only" htmlFor={`link-${i.id}`}>
                    {t('invites.linkFor', { name: who })}
                  </label>
                  <input id={`link-${i.id}`} readOnly value={url} data-testid="invitation-link" onFocus={(e) => e.currentTarget.select()} />
                  <button type="button" onClick={() => void copy(url)}>
                    {t('invites.copy')}
                    <span className="sr-only"> — {who}</span>
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {Object.keys(links).length > 0 && <p className="muted">{t('invites.linkOnce')}</p>}
    </section>
  );
}
