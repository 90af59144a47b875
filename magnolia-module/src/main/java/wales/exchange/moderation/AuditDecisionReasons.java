package wales.exchange.moderation;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import javax.jcr.Node;
import javax.jcr.RepositoryException;
import wales.exchange.i18n.Lang;
import wales.exchange.intake.DecisionReasons;

/**
 * A declined submission's reason for its status page, from the audit trail: the reason of the latest transition to
 * rejected (as the moderator wrote it; moderators write to the contributor in the contributor's language).
 */
@Singleton
public final class AuditDecisionReasons implements DecisionReasons {
    private final ModerationService moderation;

    @Inject
    public AuditDecisionReasons(ModerationService moderation) {
        this.moderation = moderation;
    }

    /** Taken up once claimed or assigned, or once a moderator wrote a note on it. */
    @Override
    public boolean takenUp(Node item) throws RepositoryException {
        Optional<ModerationService.Detail> detail = moderation.detail(item.getSession(), item.getIdentifier());
        return detail.isPresent() && (detail.get().assignee() != null || !detail.get().notes().isEmpty());
    }

    @Override
    public Optional<String> reason(Node item, Lang lang) throws RepositoryException {
        Optional<ModerationService.Detail> detail = moderation.detail(item.getSession(), item.getIdentifier());
        if (detail.isEmpty()) {
            return Optional.empty();
        }
        List<ModerationService.HistoryEntry> history = detail.get().history();
        for (int i = history.size() - 1; i >= 0; i--) {
            ModerationService.HistoryEntry h = history.get(i);
            if (State.REJECTED.tag().equals(h.to()) && h.reason() != null && !h.reason().isBlank()) {
                return Optional.of(h.reason());
            }
        }
        return Optional.empty();
    }
}
