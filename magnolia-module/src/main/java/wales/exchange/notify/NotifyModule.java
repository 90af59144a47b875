package wales.exchange.notify;

import com.google.inject.AbstractModule;
import wales.exchange.intake.SubmissionListener;
import wales.exchange.moderation.ModerationEvents;

/** Binds intake's and moderation's events to the workflow's mail ({@link WorkflowNotices}; installed by both hosts). */
public final class NotifyModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(SubmissionListener.class).to(WorkflowNotices.class);
        bind(ModerationEvents.class).to(WorkflowNotices.class);
    }
}
