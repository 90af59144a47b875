package wales.exchange.intake;

import wales.exchange.i18n.Lang;

/**
 * A submission just stored (not saved yet when a {@link SubmissionListener} sees it).
 *
 * @param type      content type, {@code contribution} or {@code comment}
 * @param id        the item's id
 * @param reference the contributor's reference, e.g. {@code EX-7K3F9Q2M4D}
 * @param lang      the contributor's language
 * @param email     the contributor's email address (personal data: never log it)
 * @param name      the contributor's name or display name
 * @param statusPath the private status link's path under the API ({@code /submissions/<token>})
 */
public record Submission(String type, String id, String reference, Lang lang, String email, String name, String statusPath) {
}
