package wales.exchange.server;

import jakarta.inject.Singleton;
import wales.exchange.jcr.RepositoryCheck;

/** What the start-up {@link RepositoryCheck} found; health answers 503 "degraded" while it lists damage. */
@Singleton
public final class RepositoryStatus {
    private volatile RepositoryCheck.Report report = RepositoryCheck.Report.notChecked();

    public RepositoryCheck.Report report() {
        return report;
    }

    void set(RepositoryCheck.Report report) {
        this.report = report;
    }
}
