package wales.exchange.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The intake's group commit without a repository: a fake unit of work records what each commit held, and latches hold
 * a commit open so that jobs queue up behind it (no sleeps).
 */
class GroupCommitTest {
    /** Fails alone (changes nothing), like a duplicate. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** A conflict worth another attempt, like InvalidItemStateException. */
    static final class Collided extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** Jobs are strings: "dup…" is refused alone, "bad…" makes the commit holding it fail, "collide…" fails its first commit. */
    static final class FakeUnit implements GroupCommit.Unit<String, String> {
        final List<String> staged = new ArrayList<>();
        /** What each successful commit held, in order: the "durable" state. */
        final List<List<String>> commits = new ArrayList<>();
        final Set<String> durable = ConcurrentHashMap.newKeySet();
        final Set<String> collided = ConcurrentHashMap.newKeySet();
        final CountDownLatch inFirstCommit = new CountDownLatch(1);
        final CountDownLatch releaseFirstCommit = new CountDownLatch(1);
        int discards;
        boolean first = true;

        @Override
        public String stage(String job) {
            if (job.startsWith("dup")) {
                throw new Refused();
            }
            staged.add(job);
            return "saved:" + job;
        }

        @Override
        public void commit() throws Exception {
            if (first) {
                first = false;
                inFirstCommit.countDown();
                assertThat(releaseFirstCommit.await(30, TimeUnit.SECONDS)).isTrue();
            }
            for (String j : staged) {
                if (j.startsWith("bad")) {
                    throw new IllegalStateException("cannot save " + j);
                }
                if (j.startsWith("collide") && collided.add(j)) {
                    throw new Collided();
                }
            }
            commits.add(List.copyOf(staged));
            durable.addAll(staged);
            staged.clear();
        }

        @Override
        public void discard() {
            discards++;
            staged.clear();
        }

        @Override
        public boolean alone(Exception e) {
            return e instanceof Refused;
        }

        @Override
        public boolean retriable(Exception e) {
            return e instanceof Collided;
        }
    }

    final FakeUnit unit = new FakeUnit();
    final GroupCommit<String, String> commits = new GroupCommit<>(unit, 64, "test-writer");

    @AfterEach
    void close() throws Exception {
        unit.releaseFirstCommit.countDown();
        commits.close();
    }

    /** Submits on a thread of its own; the future holds its answer (or the exception), checked durable when answered. */
    CompletableFuture<String> submit(String job) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                String r = commits.submit(job);
                // answered only once the commit holding it has returned
                f.complete(unit.durable.contains(job) ? r : "answered before its commit: " + job);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "submitter-" + job);
        t.setDaemon(true);
        t.start();
        return f;
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 30 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /** Holds the first commit open (job "first") until {@code queued} more jobs wait behind it. */
    CompletableFuture<String> holdFirstCommitWhile(List<CompletableFuture<String>> out, String... queued) throws Exception {
        CompletableFuture<String> first = submit("first");
        assertThat(unit.inFirstCommit.await(30, TimeUnit.SECONDS)).isTrue();
        for (String j : queued) {
            out.add(submit(j));
        }
        await(() -> commits.queued() == queued.length);
        assertThat(first).as("not answered while its commit runs").isNotDone();
        assertThat(out).allMatch(f -> !f.isDone());
        unit.releaseFirstCommit.countDown();
        return first;
    }

    @Test
    void jobsQueuedDuringACommitAreSavedTogetherInTheNextOneAndAnsweredAfterIt() throws Exception {
        List<CompletableFuture<String>> rest = new ArrayList<>();
        CompletableFuture<String> first = holdFirstCommitWhile(rest, "a", "b", "c", "d");
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("saved:first");
        for (int i = 0; i < rest.size(); i++) {
            assertThat(rest.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("saved:" + "abcd".charAt(i));
        }
        assertThat(unit.commits).hasSize(2);
        assertThat(unit.commits.get(0)).containsExactly("first");
        assertThat(unit.commits.get(1)).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(commits.batches()).isEqualTo(2);
        assertThat(commits.jobs()).isEqualTo(5);
    }

    @Test
    void aBatchIsBoundedByMaxBatch() throws Exception {
        GroupCommit<String, String> small = new GroupCommit<>(unit, 2, "small-writer");
        try {
            CompletableFuture<String> first = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    first.complete(small.submit("first"));
                } catch (Exception e) {
                    first.completeExceptionally(e);
                }
            });
            t.start();
            assertThat(unit.inFirstCommit.await(30, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<String>> rest = new ArrayList<>();
            for (String j : List.of("a", "b", "c", "d", "e")) {
                CompletableFuture<String> f = new CompletableFuture<>();
                new Thread(() -> {
                    try {
                        f.complete(small.submit(j));
                    } catch (Exception e) {
                        f.completeExceptionally(e);
                    }
                }).start();
                rest.add(f);
            }
            await(() -> small.queued() == 5);
            unit.releaseFirstCommit.countDown();
            for (CompletableFuture<String> f : rest) {
                assertThat(f.get(30, TimeUnit.SECONDS)).startsWith("saved:");
            }
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("saved:first");
            assertThat(unit.commits).allMatch(c -> c.size() <= 2);
            assertThat(unit.commits.stream().mapToInt(List::size).sum()).isEqualTo(6);
        } finally {
            small.close();
        }
    }

    @Test
    void aJobRefusedAloneFailsOnlyItsCallerAndTheBatchIsStillOneCommit() throws Exception {
        List<CompletableFuture<String>> rest = new ArrayList<>();
        holdFirstCommitWhile(rest, "a", "dup-b", "c");
        assertThat(rest.get(0).get(30, TimeUnit.SECONDS)).isEqualTo("saved:a");
        assertThatThrownBy(() -> rest.get(1).get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(Refused.class);
        assertThat(rest.get(2).get(30, TimeUnit.SECONDS)).isEqualTo("saved:c");
        assertThat(unit.commits).hasSize(2);
        assertThat(unit.commits.get(1)).containsExactlyInAnyOrder("a", "c");
        assertThat(unit.discards).isZero();
    }

    @Test
    void aFailedBatchIsSavedOneByOneSoOneBadJobFailsAlone() throws Exception {
        List<CompletableFuture<String>> rest = new ArrayList<>();
        holdFirstCommitWhile(rest, "a", "bad-b", "c");
        assertThat(rest.get(0).get(30, TimeUnit.SECONDS)).isEqualTo("saved:a");
        assertThatThrownBy(() -> rest.get(1).get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot save bad-b");
        assertThat(rest.get(2).get(30, TimeUnit.SECONDS)).isEqualTo("saved:c");
        // the batch of three was discarded, then each was committed (or failed) alone
        assertThat(unit.commits).containsExactlyInAnyOrder(List.of("first"), List.of("a"), List.of("c"));
        assertThat(unit.commits.get(0)).containsExactly("first");
        assertThat(unit.durable).doesNotContain("bad-b");
        assertThat(unit.discards).isEqualTo(2); // the batch, then bad-b alone
    }

    @Test
    void aCollisionIsRetriedAlone() throws Exception {
        List<CompletableFuture<String>> rest = new ArrayList<>();
        holdFirstCommitWhile(rest, "a", "collide-b");
        assertThat(rest.get(0).get(30, TimeUnit.SECONDS)).isEqualTo("saved:a");
        assertThat(rest.get(1).get(30, TimeUnit.SECONDS)).isEqualTo("saved:collide-b");
        assertThat(unit.commits).containsExactlyInAnyOrder(List.of("first"), List.of("a"), List.of("collide-b"));
        assertThat(unit.commits.get(0)).containsExactly("first");
    }

    @Test
    void closeFinishesTheBatchInHandAndALaterSubmitStartsANewWriter() throws Exception {
        List<CompletableFuture<String>> rest = new ArrayList<>();
        CompletableFuture<String> first = holdFirstCommitWhile(rest, "a");
        commits.close();
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("saved:first");
        // "a" was queued before close: saved by the writer before it stopped
        assertThat(rest.get(0).get(30, TimeUnit.SECONDS)).isEqualTo("saved:a");
        assertThat(commits.submit("after")).isEqualTo("saved:after");
        assertThat(unit.durable).contains("first", "a", "after");
    }
    /**
     * A unit that refuses a job already staged or saved (a duplicate, as the intake's digest check does) and whose
     * commits fail after the first while {@code failing} (a full disk, a lost repository).
     */
    static final class TwinUnit implements GroupCommit.Unit<String, String> {
        final List<String> staged = new ArrayList<>();
        final Set<String> durable = ConcurrentHashMap.newKeySet();
        final CountDownLatch inFirstCommit = new CountDownLatch(1);
        final CountDownLatch releaseFirstCommit = new CountDownLatch(1);
        volatile boolean failing;
        boolean first = true;

        @Override
        public String stage(String job) {
            if (staged.contains(job) || durable.contains(job)) {
                throw new Refused();
            }
            staged.add(job);
            return "saved:" + job;
        }

        @Override
        public void commit() throws Exception {
            if (first) {
                first = false;
                inFirstCommit.countDown();
                assertThat(releaseFirstCommit.await(30, TimeUnit.SECONDS)).isTrue();
            } else if (failing) {
                throw new IllegalStateException("disk full");
            }
            durable.addAll(staged);
            staged.clear();
        }

        @Override
        public void discard() {
            staged.clear();
        }

        @Override
        public boolean alone(Exception e) {
            return e instanceof Refused;
        }
    }

    @Test
    void aJobRefusedAsTheTwinOfAJobInADiscardedBatchIsNotAnsweredDuplicateWhenNothingWasSaved() throws Exception {
        TwinUnit twins = new TwinUnit();
        GroupCommit<String, String> writer = new GroupCommit<>(twins, 64, "twin-writer");
        try {
            List<CompletableFuture<String>> all = new ArrayList<>();
            for (String j : List.of("first", "x", "x")) {
                CompletableFuture<String> f = new CompletableFuture<>();
                Thread t = new Thread(() -> {
                    try {
                        f.complete(writer.submit(j));
                    } catch (Throwable e) {
                        f.completeExceptionally(e);
                    }
                }, "submitter-" + j);
                t.setDaemon(true);
                t.start();
                all.add(f);
                if (j.equals("first")) {
                    assertThat(twins.inFirstCommit.await(30, TimeUnit.SECONDS)).isTrue();
                }
            }
            await(() -> writer.queued() == 2); // the double submission waits as one batch behind the first commit
            twins.failing = true;
            twins.releaseFirstCommit.countDown();
            assertThat(all.get(0).get(30, TimeUnit.SECONDS)).isEqualTo("saved:first");
            assertThat(twins.durable).containsExactly("first");
            // nothing of "x" was saved: neither caller may be told it is a duplicate of something kept
            for (CompletableFuture<String> f : all.subList(1, 3)) {
                assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("disk full");
            }
        } finally {
            twins.releaseFirstCommit.countDown();
            writer.close();
        }
    }
    @Test
    void aCloseThatOutwaitsASaveNeverLetsASecondWriterShareTheUnit() throws Exception {
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        GroupCommit.Unit<String, String> counting = new GroupCommit.Unit<>() {
            boolean first = true;

            private void enter() {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            }

            @Override
            public String stage(String job) throws Exception {
                enter();
                try {
                    return "saved:" + job;
                } finally {
                    inside.decrementAndGet();
                }
            }

            @Override
            public void commit() throws Exception {
                enter();
                try {
                    if (job0()) {
                        inFirst.countDown();
                        assertThat(releaseFirst.await(30, TimeUnit.SECONDS)).isTrue();
                    }
                } finally {
                    inside.decrementAndGet();
                }
            }

            private synchronized boolean job0() {
                boolean f = first;
                first = false;
                return f;
            }

            @Override
            public void discard() {
            }
        };
        GroupCommit<String, String> writer = new GroupCommit<>(counting, 64, "slow-writer");
        writer.closeMillis = 50;
        CompletableFuture<String> first = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                first.complete(writer.submit("first"));
            } catch (Throwable e) {
                first.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        try {
            assertThat(inFirst.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(writer.close()).as("the save in hand outlasted the wait").isFalse();
            // a submission while that save still runs (a module restarted at once) must not get a writer of its own
            CompletableFuture<String> during = new CompletableFuture<>();
            Thread d = new Thread(() -> {
                try {
                    during.complete(writer.submit("during"));
                } catch (Throwable e) {
                    during.completeExceptionally(e);
                }
            });
            d.setDaemon(true);
            d.start();
            try {
                during.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
            }
            releaseFirst.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("saved:first");
            // once the old writer has stopped, a submission starts a new one
            String after = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (after == null) {
                try {
                    after = writer.submit("after");
                } catch (IllegalStateException e) {
                    assertThat(System.nanoTime()).as("the writer never reopened").isLessThan(deadline);
                    Thread.onSpinWait();
                }
            }
            assertThat(after).isEqualTo("saved:after");
            assertThat(most.get()).as("threads in the unit at once").isEqualTo(1);
        } finally {
            releaseFirst.countDown();
            writer.close();
        }
    }
}
