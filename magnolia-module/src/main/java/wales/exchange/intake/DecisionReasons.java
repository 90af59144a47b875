package wales.exchange.intake;

import com.google.inject.ImplementedBy;
import java.util.Optional;
import javax.jcr.Node;
import javax.jcr.RepositoryException;
import wales.exchange.i18n.Lang;

/**
 * The reason a moderator gave for declining a submission, for its status page. Bind it to the moderation service (which
 * keeps the audit trail); the default reads {@link #PROPERTY} ({@code exchange:decisionReason}, or
 * {@code exchange:decisionReason_cy} for Welsh when present) from the item's node.
 */
@ImplementedBy(DecisionReasons.FromProperty.class)
public interface DecisionReasons {
    String PROPERTY = "exchange:decisionReason";

    Optional<String> reason(Node item, Lang lang) throws RepositoryException;

    /**
     * Whether a moderator has taken the submission up (claimed or assigned it, or written a note): until then a
     * submission waiting in review shows as received. The default (nothing tells): taken up, so in review shows as such.
     */
    default boolean takenUp(Node item) throws RepositoryException {
        return true;
    }

    /** Reads the reason from the item's node. */
    final class FromProperty implements DecisionReasons {
        @Override
        public Optional<String> reason(Node item, Lang lang) throws RepositoryException {
            String localized = lang.propertyName(PROPERTY);
            if (item.hasProperty(localized)) {
                return Optional.of(item.getProperty(localized).getString());
            }
            return item.hasProperty(PROPERTY) ? Optional.of(item.getProperty(PROPERTY).getString()) : Optional.empty();
        }
    }
}
