package wales.exchange.server;

import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import wales.exchange.jcr.RepositoryCheck;

/**
 * What the start-up {@link RepositoryCheck} found; health answers 503 "degraded" while it lists damage. After a restart
 * from a trusted snapshot the check may still be running while requests are served ({@link #running}).
 */
@Singleton
public final class RepositoryStatus {
    private volatile RepositoryCheck.Report report = RepositoryCheck.Report.notChecked();
    private volatile CompletionStage<RepositoryCheck.Report> pending = CompletableFuture.completedFuture(report);

    public RepositoryCheck.Report report() {
        return report;
    }

    /** Completes with the report once the check has finished (at once when it has). */
    public CompletionStage<RepositoryCheck.Report> finished() {
        return pending;
    }

    /** The check has finished with {@code report}. */
    void set(RepositoryCheck.Report report) {
        this.report = report;
        if (pending.toCompletableFuture().isDone()) {
            this.pending = CompletableFuture.completedFuture(report);
        }
    }

    /** The check goes on in the background; {@code check} completes with its report (already {@link #set}). */
    void running(CompletionStage<RepositoryCheck.Report> check) {
        this.pending = check;
    }
}
