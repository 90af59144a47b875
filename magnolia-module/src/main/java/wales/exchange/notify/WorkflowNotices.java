package wales.exchange.notify;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import javax.jcr.Node;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.i18n.Lang;
import wales.exchange.intake.IntakeStore;
import wales.exchange.intake.IntakeTokens;
import wales.exchange.intake.Submission;
import wales.exchange.intake.SubmissionListener;
import wales.exchange.model.Fields;
import wales.exchange.moderation.ModerationEvent;
import wales.exchange.moderation.ModerationEvents;
import wales.exchange.moderation.State;
import wales.exchange.moderation.UserStore;
import wales.exchange.moderation.WorkflowCommentPublisher;

/**
 * The workflow's mail (docs/notifications.md): "submission received" when intake stores a submission, "accepted" or
 * "declined" (with the reason) when a moderator decides on it, and "assigned" to the moderator an item is given to.
 * Each notice is written into the session of the change that causes it, before its save ({@link Notifications}): saved
 * with it or not at all. The contributor's address and language come from the submission's personal record (never from
 * the item); a submission whose record is gone (erased, purged) gets no mail. Links are absolute on {@code --public-url}
 * ({@link DeliveryConfig#publicUrl()}), else on {@code http://localhost}.
 */
@Singleton
public final class WorkflowNotices implements SubmissionListener, ModerationEvents {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowNotices.class);
    /** Personal-record properties holding the contributor's address and name, by content type (the model's private fields). */
    static final String[] EMAIL = {"contributorEmail", "email"};
    static final String[] NAME = {"contributorName", "displayName"};

    private final DeliveryConfig config;
    private final IntakeTokens tokens;
    private final wales.exchange.moderation.Contacts users;

    @Inject
    public WorkflowNotices(DeliveryConfig config, IntakeTokens tokens, wales.exchange.moderation.Contacts users) {
        this.config = config;
        this.tokens = tokens;
        this.users = users;
    }

    @Override
    public void received(Session session, Submission s) throws RepositoryException {
        if (s.email() == null || s.email().isBlank()) {
            return;
        }
        Notifications.enqueue(session, Notice.of(s.email(), s.lang(), Template.SUBMISSION_RECEIVED,
                "name", orElse(s.name(), s.reference()), "reference", s.reference(),
                "title", title(session, s.id(), s.lang(), s.reference()), "statusUrl", base() + s.statusPath()), s.id());
    }

    @Override
    public void changed(Session session, ModerationEvent e) throws RepositoryException {
        if (e.decision() && !WorkflowCommentPublisher.POLICY.equals(e.actor())) {
            // a post-moderated comment published at once: nobody decided, the "received" mail told the contributor
            decided(session, e);
        } else if (e.kind() == ModerationEvent.Kind.ASSIGNMENT && e.assignee() != null && !e.assignee().equals(e.actor())) {
            assigned(session, e);
        }
    }

    private void decided(Session session, ModerationEvent e) throws RepositoryException {
        Optional<Node> record = personalRecord(session, e.id());
        if (record.isEmpty()) {
            return; // not a public submission, or its personal data is gone: nobody to tell
        }
        Node p = record.get();
        String email = first(p, EMAIL);
        if (email == null) {
            return;
        }
        Lang lang = Lang.parse(string(p, IntakeStore.P_LANG)).orElse(Lang.EN);
        String reference = orElse(string(p, IntakeStore.P_REFERENCE), e.id());
        String name = orElse(first(p, NAME), reference);
        String title = title(session, e.id(), lang, reference);
        String status = base() + "/submissions/" + tokens.status(e.id());
        Notice n = e.to() == State.REJECTED
                ? Notice.of(email, lang, Template.DECISION_DECLINED, "name", name, "reference", reference, "title", title,
                        "reason", orElse(e.reason(), "-"), "statusUrl", status)
                : Notice.of(email, lang, Template.DECISION_ACCEPTED, "name", name, "reference", reference, "title", title,
                        "statusUrl", status);
        Notifications.enqueue(session, n, e.id());
    }

    private void assigned(Session session, ModerationEvent e) throws RepositoryException {
        Optional<UserStore.Contact> contact = users.contact(session, e.assignee());
        if (contact.isEmpty()) {
            LOG.info("notifications: moderator {} has no email address; no assignment mail for {}", e.assignee(), e.id());
            return;
        }
        Optional<Node> record = personalRecord(session, e.id());
        String reference = record.isPresent() ? orElse(string(record.get(), IntakeStore.P_REFERENCE), e.id()) : e.id();
        Lang lang = contact.get().lang();
        Notifications.enqueue(session, Notice.of(contact.get().email(), lang, Template.ASSIGNMENT, "moderator", e.assignee(),
                "assignedBy", orElse(e.actor(), "-"), "reference", reference, "title", title(session, e.id(), lang, reference),
                "itemUrl", base() + "/moderation/items/" + e.id()));
    }

    private String base() {
        String origin = config.publicUrl() != null ? config.publicUrl() : "http://localhost";
        return origin.replaceAll("/+$", "") + config.basePath().replaceAll("/+$", "");
    }

    private static Optional<Node> personalRecord(Session session, String id) throws RepositoryException {
        Node item;
        try {
            item = session.getNodeByIdentifier(id);
        } catch (javax.jcr.ItemNotFoundException e) {
            return Optional.empty();
        }
        if (!item.hasProperty(IntakeStore.PERSONAL_RECORD)) {
            return Optional.empty();
        }
        String path = item.getProperty(IntakeStore.PERSONAL_RECORD).getString();
        return session.nodeExists(path) ? Optional.of(session.getNode(path)) : Optional.empty();
    }

    /** The item's title in {@code lang} (else the other language), else {@code fallback}. */
    private static String title(Session session, String id, Lang lang, String fallback) throws RepositoryException {
        try {
            Node item = session.getNodeByIdentifier(id);
            for (Lang l : new Lang[] {lang, lang.other()}) {
                String name = l.propertyName(Fields.TITLE);
                if (item.hasProperty(name) && !item.getProperty(name).getString().isBlank()) {
                    return oneLine(item.getProperty(name).getString());
                }
            }
        } catch (javax.jcr.ItemNotFoundException e) {
            // gone: the fallback
        }
        return fallback;
    }

    private static String first(Node n, String[] names) throws RepositoryException {
        for (String name : names) {
            String v = string(n, name);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    private static String string(Node n, String name) throws RepositoryException {
        return n.hasProperty(name) ? n.getProperty(name).getString() : null;
    }

    private static String orElse(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : oneLine(v);
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }
}
