package wales.exchange.jcr;

import javax.jcr.Node;
import javax.jcr.NodeIterator;
import javax.jcr.Session;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: a real in-memory Jackrabbit 2 repository per test class, with Magnolia's and ExChange's node types.
 * Test methods (and constructors) may take a {@link Session} (logged out after the test) or the
 * {@link EmbeddedRepository}. Content under the root is removed after each test.
 */
public final class JcrExtension implements BeforeAllCallback, AfterAllCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(JcrExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        context.getStore(NS).put("repo", EmbeddedRepository.inMemory());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        EmbeddedRepository repo = context.getStore(NS).remove("repo", EmbeddedRepository.class);
        if (repo != null) {
            repo.close();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Session s = context.getStore(NS).remove(context.getUniqueId() + "/session", Session.class);
        if (s != null && s.isLive()) {
            s.logout();
        }
        Session clean = repo(context).login();
        try {
            for (NodeIterator it = clean.getRootNode().getNodes(); it.hasNext(); ) {
                Node n = it.nextNode();
                if (!n.getName().startsWith("jcr:")) {
                    n.remove();
                }
            }
            clean.save();
        } finally {
            clean.logout();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> t = pc.getParameter().getType();
        return t == Session.class || t == EmbeddedRepository.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        EmbeddedRepository repo = repo(ec);
        if (pc.getParameter().getType() == EmbeddedRepository.class) {
            return repo;
        }
        return ec.getStore(NS).getOrComputeIfAbsent(ec.getUniqueId() + "/session", k -> {
            try {
                return repo.login();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Session.class);
    }

    private static EmbeddedRepository repo(ExtensionContext context) {
        ExtensionContext c = context;
        while (c != null) {
            EmbeddedRepository r = c.getStore(NS).get("repo", EmbeddedRepository.class);
            if (r != null) {
                return r;
            }
            c = c.getParent().orElse(null);
        }
        throw new IllegalStateException("no repository: annotate the class with @ExtendWith(JcrExtension.class)");
    }
}
