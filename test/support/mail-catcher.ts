import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message as the SMTP server received it, with its text body decoded. */
export interface CaughtMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
}

/** The decoded body of a single-part message (nodemailer writes plain text as 7bit or quoted-printable). */
function decode(raw: string): { from: string; subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'quoted-printable'
      ? Buffer.from(
          body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8')
      : encoding === 'base64'
        ? Buffer.from(body, 'base64').toString('utf8')
        : body;
  return { from: header('From'), subject: header('Subject'), text: text.replace(/\r\n/g, '\n') };
}

/**
 * A real SMTP server on loopback (smtp-server) that keeps every message it is given: what Parley
 * sends through nodemailer arrives here over SMTP, as it would at an operator's relay.
 */
export class MailCatcher {
  readonly mails: CaughtMail[] = [];
  private server!: SMTPServer;
  url = '';

  static async start(): Promise<MailCatcher> {
    const catcher = new MailCatcher();
    catcher.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          catcher.mails.push({ to, ...decode(Buffer.concat(chunks).toString('latin1')) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => catcher.server.listen(0, '127.0.0.1', resolve));
    catcher.url = `smtp://127.0.0.1:${(catcher.server.server.address() as AddressInfo).port}`;
    return catcher;
  }

  /** Every message to this address so far. */
  to(address: string): CaughtMail[] {
    return this.mails.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** The newest message to this address once there are more than `after`, polled until a deadline. */
  async next(address: string, after: number, deadlineMs = 5000): Promise<CaughtMail> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const mine = this.to(address);
      if (mine.length > after) return mine[mine.length - 1];
      if (Date.now() > end) throw new Error(`no mail to ${address} after ${after} within ${deadlineMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The confirmation link in a message: its token and where it leads afterwards. */
export function linkIn(mail: CaughtMail): { url: string; token: string; next: string | null } {
  const m = /(https?:\/\/\S+\/verify-email\?token=([A-Za-z0-9_-]{43})(?:&next=(\S+))?)/.exec(mail.text);
  if (!m) throw new Error(`no confirmation link in: ${mail.text}`);
  return { url: m[1], token: m[2], next: m[3] ? decodeURIComponent(m[3]) : null };
}
