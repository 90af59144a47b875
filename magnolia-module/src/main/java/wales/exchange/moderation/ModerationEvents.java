package wales.exchange.moderation;

import com.google.inject.ImplementedBy;
import javax.jcr.Session;

/**
 * Told of every moderation change <b>before</b> it is saved, with the session that saves it: what it writes there
 * (an outbox message) is saved in the same {@code session.save()} as the change, or not at all. It must not save or
 * refresh the session itself. Bound by default to nothing.
 */
@ImplementedBy(ModerationEvents.None.class)
public interface ModerationEvents {
    void changed(Session session, ModerationEvent event) throws javax.jcr.RepositoryException;

    /** No listener. */
    final class None implements ModerationEvents {
        @Override
        public void changed(Session session, ModerationEvent event) {
            // nothing
        }
    }
}
