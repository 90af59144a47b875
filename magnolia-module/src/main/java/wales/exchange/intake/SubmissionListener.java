package wales.exchange.intake;

import com.google.inject.ImplementedBy;
import javax.jcr.RepositoryException;
import javax.jcr.Session;

/**
 * Told of every accepted submission <b>before</b> the session is saved, so that whatever it writes into {@code session}
 * (a notification in the outbox, "submission received") is saved in the same {@code session.save()} as the submission:
 * both or neither. It must not save or refresh the session. Bind it to the notification service; the default does nothing.
 */
@ImplementedBy(SubmissionListener.None.class)
public interface SubmissionListener {
    void received(Session session, Submission submission) throws RepositoryException;

    /** Does nothing. */
    final class None implements SubmissionListener {
        @Override
        public void received(Session session, Submission submission) {
        }
    }
}
