package wales.exchange.magnolia;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import javax.jcr.RepositoryException;
import javax.jcr.Session;

/**
 * A {@link Session} opened on first use. Magnolia's main injector runs in Guice's production stage and builds every
 * singleton when it is created, before the module's workspace exists: the index's session is therefore asked of
 * Magnolia only when the index starts ({@link ExchangeModule#start}). A logout before first use opens nothing.
 */
final class LazySession {
    private LazySession() {
    }

    /** Opens a session, as {@link SessionSource#systemSession} does. */
    @FunctionalInterface
    interface Opener {
        Session open() throws RepositoryException;
    }

    static Session of(Opener opener) {
        Object lock = new Object();
        Session[] open = {null};
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "equals":
                            return proxy == args[0];
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "toString":
                            return "session opened on first use (" + (open[0] == null ? "not yet" : open[0]) + ")";
                        default:
                            break;
                    }
                    Session session;
                    synchronized (lock) {
                        if (open[0] == null) {
                            if (method.getName().equals("logout") || method.getName().equals("isLive")) {
                                return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
                            }
                            open[0] = opener.open();
                        }
                        session = open[0];
                    }
                    try {
                        return method.invoke(session, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
