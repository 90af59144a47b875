package wales.exchange.moderation;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import javax.jcr.Session;
import wales.exchange.comments.CommentPublisher;

/**
 * Comment boards through the one workflow: a comment on a post-moderated board goes from in review to published by
 * {@link ModerationService#publishUnreviewed}, audited as the board's policy, so moderators see it in the history and
 * can unpublish it like any other item.
 */
@Singleton
public final class WorkflowCommentPublisher implements CommentPublisher {
    /** The actor recorded in the audit trail for a post-moderated publication. */
    public static final String POLICY = "board:post-moderated";

    private final ModerationService moderation;

    @Inject
    public WorkflowCommentPublisher(ModerationService moderation) {
        this.moderation = moderation;
    }

    @Override
    public void publish(Session session, String commentId) {
        moderation.publishUnreviewed(session, commentId, POLICY);
    }

    @Override
    public void reported(Session session, String commentId, long reports) {
        // counted on the comment's node by the board; moderators see the count in the item's detail
    }
}
