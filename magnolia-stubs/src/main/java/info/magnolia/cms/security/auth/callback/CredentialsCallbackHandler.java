package info.magnolia.cms.security.auth.callback;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;

/**
 * Stand-in for {@code info.magnolia.cms.security.auth.callback.CredentialsCallbackHandler}: a JAAS callback handler
 * giving a name and password; {@code (String name, char[] pswd)}. Source read:
 * ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/cms/security/auth/callback/CredentialsCallbackHandler.java (the stand-in answers the name and password callbacks as it does).
 */
public class CredentialsCallbackHandler implements CallbackHandler {
    protected String name;
    protected char[] pswd;

    public CredentialsCallbackHandler(String name, char[] pswd) {
        this.name = name;
        this.pswd = pswd;
    }

    @Override
    public void handle(Callback[] callbacks) {
        for (Callback c : callbacks) {
            if (c instanceof NameCallback n) {
                n.setName(name);
            } else if (c instanceof PasswordCallback p) {
                p.setPassword(pswd);
            }
        }
    }
}
