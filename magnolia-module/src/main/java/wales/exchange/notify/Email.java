package wales.exchange.notify;

import wales.exchange.i18n.Lang;

/**
 * A rendered notice, ready for a {@link Mailer}: its Message-ID is the same on every attempt (derived from the notice's
 * id), so a copy sent again after a crash can be recognised by the receiving side as the same message.
 */
public record Email(String messageId, String to, Lang lang, String subject, String body) {
}
