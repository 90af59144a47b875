package wales.exchange.moderation;

import com.google.inject.AbstractModule;
import wales.exchange.comments.CommentPublisher;
import wales.exchange.intake.DecisionReasons;

/** Binds what intake and the comment boards ask of moderation to the one workflow (installed by both hosts). */
public final class WorkflowModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(CommentPublisher.class).to(WorkflowCommentPublisher.class);
        bind(DecisionReasons.class).to(AuditDecisionReasons.class);
    }
}
