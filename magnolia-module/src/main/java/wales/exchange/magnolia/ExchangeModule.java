package wales.exchange.magnolia;

import info.magnolia.module.ModuleLifecycle;
import info.magnolia.module.ModuleLifecycleContext;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.lifecycle.Lifecycle;
import wales.exchange.lifecycle.Managed;

/**
 * Magnolia module class: starts what the module owns (the delivery index, which opens its system session then) through
 * the same {@link Lifecycle} the standalone server uses, and stops it at shutdown. Magnolia may stop and start a module
 * again (a configuration change): each start has a lifecycle of its own.
 */
public class ExchangeModule implements ModuleLifecycle {
    private final Provider<DeliveryIndex> index;
    private final Provider<wales.exchange.intake.RetentionPurge> purge;
    private final Provider<wales.exchange.intake.IntakeWriter> writer;
    private final Provider<wales.exchange.notify.MailDelivery> mail;
    private final Provider<wales.exchange.intake.FormDrafts> drafts;
    private Lifecycle lifecycle;

    @Inject
    public ExchangeModule(Provider<DeliveryIndex> index, Provider<wales.exchange.intake.RetentionPurge> purge,
                          Provider<wales.exchange.intake.IntakeWriter> writer, Provider<wales.exchange.notify.MailDelivery> mail,
                          Provider<wales.exchange.intake.FormDrafts> drafts) {
        this.index = index;
        this.purge = purge;
        this.writer = writer;
        this.mail = mail;
        this.drafts = drafts;
    }

    @Override
    public synchronized void start(ModuleLifecycleContext context) {
        Lifecycle next = new Lifecycle().add("delivery index", Managed.of(() -> index.get().start(), () -> index.get().stop()))
                // personal data of contributions and comments is deleted after the retention (docs/contributions.md)
                .add("intake purge", Managed.of(() -> purge.get().start(), () -> purge.get().stop()))
                // what readers typed into a form that came back is swept out of memory once expired (docs/pages.md)
                .add("form drafts", Managed.of(() -> drafts.get().start(), () -> drafts.get().stop()))
                // the writer thread starts with the first submission; stopping saves the one in hand and logs out
                .add("intake writer", Managed.of(() -> { }, () -> writer.get().close()))
                // notification mail with the module configuration's SMTP settings (docs/install-magnolia.md, section 4)
                .add("notifications", mail.get());
        try {
            next.start();
        } catch (Exception e) {
            throw new IllegalStateException("ExChange: cannot load the delivery index", e);
        }
        lifecycle = next;
    }

    @Override
    public synchronized void stop(ModuleLifecycleContext context) {
        if (lifecycle != null) {
            lifecycle.stop();
            lifecycle = null;
        }
    }
}
