package wales.exchange.moderation;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import javax.jcr.Value;
import wales.exchange.delivery.index.Sessions;

/**
 * Users of the moderation API in the repository, {@code /exchange-moderation/users/<name>}: roles and a salted
 * {@link PasswordHash}. A successful check is remembered (under an HMAC of name and password with a key made at
 * start, never the password) until the user is written again, so that each request does not pay for PBKDF2; a failed
 * one always pays, and an unknown user costs as much as a wrong password.
 */
@Singleton
public final class UserStore implements Authenticator, Contacts {
    public static final String ROOT = "/exchange-moderation/users";
    static final String HASH = "passwordHash";
    static final String ROLES = "roles";
    static final String DEMO = "demo";
    static final String EMAIL = "email";
    static final String LANG = "lang";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final String DUMMY = PasswordHash.hash("not a password".toCharArray());
    private final Sessions sessions;
    private final byte[] cacheKey = new byte[32];
    private final Map<String, Account> verified = new ConcurrentHashMap<>();

    @Inject
    public UserStore(Sessions sessions) {
        this.sessions = sessions;
        new SecureRandom().nextBytes(cacheKey);
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    @Override
    public Optional<Account> authenticate(String user, char[] password) {
        if (user == null || password == null) {
            return Optional.empty();
        }
        String key = mac(user, password);
        Account cached = verified.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            Session s = sessions.open();
            try {
                String path = ROOT + "/" + user;
                if (!validName(user) || !s.nodeExists(path)) {
                    PasswordHash.verify(password, DUMMY); // the same cost as a wrong password
                    return Optional.empty();
                }
                Node n = s.getNode(path);
                if (!PasswordHash.verify(password, n.getProperty(HASH).getString())) {
                    return Optional.empty();
                }
                Account a = new Account(user, roles(n));
                verified.put(key, a);
                return Optional.of(a);
            } finally {
                s.logout();
            }
        } catch (RepositoryException e) {
            throw new IllegalStateException("cannot read user " + user + ": " + e.getMessage(), e);
        }
    }

    /** Creates or replaces a user (new password, new roles), not a demo user. */
    public void put(Session s, String name, char[] password, Set<Role> roles) throws RepositoryException {
        put(s, name, PasswordHash.hash(password), roles, false);
    }

    /**
     * Creates or replaces a demo user (removed when demo mode is off) with a new password that the server generates,
     * hashed with fewer iterations than a person's ({@link PasswordHash#generated}); returns the password.
     */
    public String putDemo(Session s, String name, Set<Role> roles) throws RepositoryException {
        PasswordHash.Generated g = PasswordHash.generated();
        put(s, name, g.hash(), roles, true);
        return g.password();
    }

    private void put(Session s, String name, String hash, Set<Role> roles, boolean demo) throws RepositoryException {
        if (!validName(name)) {
            throw new IllegalArgumentException("a user name is 1 to 64 of a-z 0-9 . _ -, starting with a letter or digit");
        }
        Node root = ensure(s);
        Node n = root.hasNode(name) ? root.getNode(name) : root.addNode(name, "nt:unstructured");
        n.setProperty(HASH, hash);
        n.setProperty(ROLES, roles.stream().map(Role::tag).toArray(String[]::new));
        n.setProperty(DEMO, demo);
        s.save();
        verified.values().removeIf(a -> a.name().equals(name));
    }

    /** Removes the users marked as demo users; their names. */
    public List<String> removeDemoUsers(Session s) throws RepositoryException {
        List<String> removed = new ArrayList<>();
        if (!s.nodeExists(ROOT)) {
            return removed;
        }
        for (NodeIterator it = s.getNode(ROOT).getNodes(); it.hasNext(); ) {
            Node n = it.nextNode();
            if (n.hasProperty(DEMO) && n.getProperty(DEMO).getBoolean()) {
                removed.add(n.getName());
                n.remove();
            }
        }
        s.save();
        verified.values().removeIf(a -> removed.contains(a.name()));
        return removed;
    }

    /** Where a user gets mail (assignment notices), in which language. */
    public record Contact(String email, wales.exchange.i18n.Lang lang) {
    }

    /** Sets (or with a null email removes) a user's mail address and language; the caller saves. */
    public void contact(Session s, String name, String email, wales.exchange.i18n.Lang lang) throws RepositoryException {
        Node n = s.getNode(ROOT + "/" + name);
        n.setProperty(EMAIL, email);
        n.setProperty(LANG, email == null ? null : lang.tag());
    }

    /** The user's mail address and language, when the user has an address. */
    @Override
    public java.util.Optional<Contact> contact(Session s, String name) throws RepositoryException {
        if (!exists(s, name)) {
            return java.util.Optional.empty();
        }
        Node n = s.getNode(ROOT + "/" + name);
        if (!n.hasProperty(EMAIL)) {
            return java.util.Optional.empty();
        }
        wales.exchange.i18n.Lang lang = n.hasProperty(LANG)
                ? wales.exchange.i18n.Lang.parse(n.getProperty(LANG).getString()).orElse(wales.exchange.i18n.Lang.EN)
                : wales.exchange.i18n.Lang.EN;
        return java.util.Optional.of(new Contact(n.getProperty(EMAIL).getString(), lang));
    }

    /** Whether {@code name} is a user (for assignment). */
    public boolean exists(Session s, String name) throws RepositoryException {
        return validName(name) && s.nodeExists(ROOT + "/" + name);
    }

    @Override
    public Set<Role> rolesOf(String name) {
        try {
            Session s = sessions.open();
            try {
                return exists(s, name) ? roles(s.getNode(ROOT + "/" + name)) : Set.of();
            } finally {
                s.logout();
            }
        } catch (RepositoryException e) {
            throw new IllegalStateException("cannot read user " + name + ": " + e.getMessage(), e);
        }
    }

    private static Set<Role> roles(Node n) throws RepositoryException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (n.hasProperty(ROLES)) {
            for (Value v : n.getProperty(ROLES).getValues()) {
                Role.parse(v.getString()).ifPresent(roles::add);
            }
        }
        return roles;
    }

    private static Node ensure(Session s) throws RepositoryException {
        Node n = s.getRootNode();
        for (String part : ROOT.substring(1).split("/")) {
            n = n.hasNode(part) ? n.getNode(part) : n.addNode(part, "nt:unstructured");
        }
        return n;
    }

    private String mac(String user, char[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            mac.update(user.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(new String(password).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Names of the users, for start-up messages. */
    public Set<String> names(Session s) throws RepositoryException {
        Set<String> out = new LinkedHashSet<>();
        if (s.nodeExists(ROOT)) {
            for (NodeIterator it = s.getNode(ROOT).getNodes(); it.hasNext(); ) {
                out.add(it.nextNode().getName());
            }
        }
        return out;
    }
}
