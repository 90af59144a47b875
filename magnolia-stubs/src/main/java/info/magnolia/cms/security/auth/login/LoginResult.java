package info.magnolia.cms.security.auth.login;

import javax.security.auth.Subject;

/**
 * Stand-in for {@code info.magnolia.cms.security.auth.login.LoginResult} (a subset, exact signatures): {@code
 * STATUS_SUCCEEDED} 1, {@code STATUS_FAILED} 2, {@code getStatus()}, {@code getSubject()}, the constructors
 * {@code (int)} and {@code (int, Subject)}. Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/cms/security/auth/login/LoginResult.java.
 */
public class LoginResult {
    public static final int STATUS_SUCCEEDED = 1;
    public static final int STATUS_FAILED = 2;
    private final int status;
    private final Subject subject;

    public LoginResult(int status) {
        this(status, null);
    }

    public LoginResult(int status, Subject subject) {
        this.status = status;
        this.subject = subject;
    }

    public int getStatus() {
        return status;
    }

    public Subject getSubject() {
        return subject;
    }
}
