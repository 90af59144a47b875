package info.magnolia.cms.security;

import info.magnolia.cms.security.auth.callback.CredentialsCallbackHandler;
import info.magnolia.cms.security.auth.login.LoginResult;

/**
 * Stand-in for {@code info.magnolia.cms.security.SecuritySupport} (a subset, exact signatures): {@code getUserManager()}
 * (all realms), {@code authenticate(CredentialsCallbackHandler, String jaasModuleName)} (a JAAS login through Magnolia's
 * login chain, {@code "magnolia"} when the module name is null, {@code SecuritySupportBase.createLoginContext}),
 * {@code Factory.getInstance()}. Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/cms/security/SecuritySupport.java and SecuritySupportBase.java; 6.3 use:
 * merkle-open/magnolia-setup-task (commit 23a743b) {@code UserManagerUtil} (injected {@code SecuritySupport},
 * {@code getUserManager(realm)}). Signature only.
 */
public interface SecuritySupport {
    UserManager getUserManager();

    LoginResult authenticate(CredentialsCallbackHandler callbackHandler, String jaasModuleName);

    /** {@code SecuritySupport.Factory.getInstance()}: {@code Components.getSingleton(SecuritySupport.class)}. */
    final class Factory {
        private Factory() {
        }

        public static SecuritySupport getInstance() {
            throw new UnsupportedOperationException("Magnolia stand-in: compile only");
        }
    }
}
