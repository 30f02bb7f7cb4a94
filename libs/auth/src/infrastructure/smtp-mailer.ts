import type { OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type { AppConfig } from '@parley/platform';
import { Mailer, type MailMessage } from '../application/mailer';

/** The Mailer over SMTP (nodemailer), from SMTP_URL and MAIL_FROM. */
export class SmtpMailer extends Mailer implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    super();
    // Bounded waits: a mail server that does not answer fails the request in seconds, not minutes.
    this.transport = createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text });
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}

/** The provider: a Mailer when mail is configured, null otherwise. */
export const mailerFromConfig = (config: AppConfig): Mailer | null =>
  config.smtpUrl && config.mailFrom ? new SmtpMailer(config.smtpUrl, config.mailFrom) : null;
