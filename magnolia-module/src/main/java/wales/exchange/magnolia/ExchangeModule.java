package wales.exchange.magnolia;

import info.magnolia.module.ModuleLifecycle;
import info.magnolia.module.ModuleLifecycleContext;
import jakarta.inject.Inject;
import javax.jcr.RepositoryException;
import wales.exchange.delivery.ReadModel;

/** Magnolia module class: loads the delivery read model at start-up and stops observing at shutdown. */
public class ExchangeModule implements ModuleLifecycle {
    private final ReadModel readModel;

    @Inject
    public ExchangeModule(ReadModel readModel) {
        this.readModel = readModel;
    }

    @Override
    public void start(ModuleLifecycleContext context) {
        try {
            readModel.start();
        } catch (RepositoryException e) {
            throw new IllegalStateException("ExChange: cannot load the delivery read model", e);
        }
    }

    @Override
    public void stop(ModuleLifecycleContext context) {
        readModel.stop();
    }
}
