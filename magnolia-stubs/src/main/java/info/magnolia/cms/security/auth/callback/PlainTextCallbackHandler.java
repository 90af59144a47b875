package info.magnolia.cms.security.auth.callback;

/**
 * Stand-in for {@code info.magnolia.cms.security.auth.callback.PlainTextCallbackHandler}: a
 * {@link CredentialsCallbackHandler} for a password in plain text, {@code (String name, char[] pswd)}. Source read:
 * ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/cms/security/auth/callback/PlainTextCallbackHandler.java.
 */
public class PlainTextCallbackHandler extends CredentialsCallbackHandler {
    public PlainTextCallbackHandler(String name, char[] pswd) {
        super(name, pswd);
    }
}
