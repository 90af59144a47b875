package wales.exchange.magnolia;

import info.magnolia.module.ModuleLifecycle;
import info.magnolia.module.ModuleLifecycleContext;
import jakarta.inject.Inject;
import javax.jcr.RepositoryException;
import wales.exchange.delivery.index.DeliveryIndex;

/** Magnolia module class: loads the delivery index at start-up and stops observing at shutdown. */
public class ExchangeModule implements ModuleLifecycle {
    private final DeliveryIndex readModel;

    @Inject
    public ExchangeModule(DeliveryIndex readModel) {
        this.readModel = readModel;
    }

    @Override
    public void start(ModuleLifecycleContext context) {
        try {
            readModel.start();
        } catch (RepositoryException e) {
            throw new IllegalStateException("ExChange: cannot load the delivery index", e);
        }
    }

    @Override
    public void stop(ModuleLifecycleContext context) {
        readModel.stop();
    }
}
