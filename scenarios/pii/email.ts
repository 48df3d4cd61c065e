import type { Keyed } from './keyed.ts';

/**
 * Mailbox providers anyone can sign up to. An address there says "a private person";
 * any other domain says "an organisation". The scrubbed address keeps that class and
 * nothing else: freemail → mail.example.com, corporate → corp-<keyed>.example.org (one
 * pseudonymous domain per real domain, so orders from one company still group).
 * example.com and example.net count as freemail: synthetic traffic uses them so.
 */
const FREEMAIL = new Set(
  [
    'gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.fr yahoo.de ymail.com outlook.com hotmail.com hotmail.co.uk',
    'hotmail.fr live.com msn.com icloud.com me.com mac.com aol.com proton.me protonmail.com pm.me gmx.de gmx.net gmx.com',
    'web.de t-online.de mail.ru bk.ru inbox.ru list.ru yandex.ru yandex.com ya.ru rambler.ru qq.com 163.com 126.com',
    'naver.com daum.net zoho.com fastmail.com tutanota.com orange.fr free.fr laposte.net libero.it wp.pl o2.pl',
    'interia.pl seznam.cz example.com example.net mail.example.com',
  ]
    .join(' ')
    .split(' '),
);

export type EmailClass = 'freemail' | 'corporate';

export function emailClass(email: string): EmailClass {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return FREEMAIL.has(domain) ? 'freemail' : 'corporate';
}

export function scrubEmail(keyed: Keyed, email: string): string {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const local = `u${keyed.token('email', email.toLowerCase(), 11)}`;
  const pseudoDomain =
    emailClass(email) === 'freemail'
      ? 'mail.example.com'
      : `corp-${keyed.token('email-domain', domain, 6)}.example.org`;
  return `${local}@${pseudoDomain}`;
}
