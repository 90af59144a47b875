package wales.exchange.notify;

import java.util.List;
import java.util.Optional;

/**
 * The notification templates: each has a key (its files are {@code wales/exchange/notify/KEY_en.txt} and {@code _cy.txt}:
 * a {@code Subject:} line, a blank line, the body) and the parameters every notice of it must fill, named
 * {@code {param}} in the files.
 */
public enum Template {
    /** To the contributor, when a contribution is saved. */
    SUBMISSION_RECEIVED("submission-received", "name", "reference", "title", "statusUrl"),
    /** To the contributor, when a moderator accepts the contribution. */
    DECISION_ACCEPTED("decision-accepted", "name", "reference", "title", "statusUrl"),
    /** To the contributor, when a moderator declines the contribution (the reason as the moderator wrote it). */
    DECISION_DECLINED("decision-declined", "name", "reference", "title", "reason", "statusUrl"),
    /** To a moderator, when an item is assigned to them. */
    ASSIGNMENT("assignment", "moderator", "assignedBy", "reference", "title", "itemUrl");

    private final String key;
    private final List<String> params;

    Template(String key, String... params) {
        this.key = key;
        this.params = List.of(params);
    }

    /** The key stored with each notice and naming the template files. */
    public String key() {
        return key;
    }

    /** The parameters a notice of this template must fill: exactly these, each non-blank. */
    public List<String> params() {
        return params;
    }

    public static Optional<Template> byKey(String key) {
        for (Template t : values()) {
            if (t.key.equals(key)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
