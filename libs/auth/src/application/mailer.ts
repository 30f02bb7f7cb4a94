/** One plain-text message to one address. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends mail: the port address verification speaks to. Provided only when the operator configured
 * a transport (SMTP_URL); with none, there is no Mailer and addresses cannot be proven by mail.
 */
export abstract class Mailer {
  /** Resolves once the transport accepted the message; rejects when it did not. */
  abstract send(message: MailMessage): Promise<void>;
}
