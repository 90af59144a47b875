package wales.exchange.comments;

import com.google.inject.ImplementedBy;
import jakarta.inject.Inject;
import java.util.Map;
import javax.jcr.Node;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import wales.exchange.content.ContentService;
import wales.exchange.intake.IntakeTypes;
import wales.exchange.model.Fields;

/**
 * What the comment boards ask of the moderation workflow. Bind it to the moderation service (so that publishing goes
 * through the one state machine and its audit trail); the default sets {@code moderationState} to
 * {@link #PUBLISHED} through the content service.
 */
@ImplementedBy(CommentPublisher.Direct.class)
public interface CommentPublisher {
    /** The moderation state of a comment shown under its item. */
    String PUBLISHED = "published";

    /**
     * A comment on a post-moderated board, just saved in its type's default state and holding no probable personal
     * data: publish it now (moderators review it afterwards). Saves what it changes.
     */
    void publish(Session session, String commentId) throws RepositoryException;

    /** A reader reported a comment; {@code reports} is how many reports it has now (saved on its node). */
    void reported(Session session, String commentId, long reports) throws RepositoryException;

    /** Publishes through the content service; reports only count. */
    final class Direct implements CommentPublisher {
        private final ContentService service;

        @Inject
        public Direct(ContentService service) {
            this.service = service;
        }

        @Override
        public void publish(Session session, String commentId) throws RepositoryException {
            var type = service.model().get(IntakeTypes.COMMENT);
            var state = type.property(Fields.MODERATION_STATE);
            if (state != null && state.enumerated() && !state.options().contains(PUBLISHED)) {
                throw new IllegalStateException("the comment workflow has no state " + PUBLISHED + ": bind CommentPublisher");
            }
            Node n = service.node(session, type, commentId).orElseThrow();
            long revision = n.getProperty(ContentService.REVISION).getLong();
            service.update(session, IntakeTypes.COMMENT, commentId, revision, Map.of(Fields.MODERATION_STATE, PUBLISHED), "post-moderation");
        }

        @Override
        public void reported(Session session, String commentId, long reports) {
        }
    }
}
