package wales.exchange.delivery.index;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import wales.exchange.model.ContentType;

/**
 * Where the delivery index keeps its entries between runs, so that a restart reads one file instead of every bundle
 * (docs/operations.md, "Index snapshot"). A saved snapshot is only offered back after a clean stop ({@link #save}
 * leaves a clean-stop marker that {@link #open} removes); {@link DeliveryIndex} still checks it against the repository
 * ({@link Stamp}s) before it trusts it.
 */
public interface SnapshotStore {
    /** No file: every start reads the repository (in memory, in Magnolia). */
    SnapshotStore NONE = new SnapshotStore() {
        @Override
        public Saved open(List<ContentType> types) {
            return Saved.none("no snapshot store");
        }

        @Override
        public void save(List<ContentType> types, Snapshot snapshot) {
        }

        @Override
        public void invalidate() {
        }
    };

    /** How many items of a type there are and when the newest of them was saved (epoch millis; 0 when none). */
    record Stamp(long count, long newestMillis) {
    }

    /**
     * What a saved snapshot holds, or (indexes null) why there is none to use.
     *
     * @param indexes per type name, each type's index as saved (entries, search postings, sort orders)
     * @param stamps  per type name, as the entries were when saved
     * @param bodies  the item bodies file saved with it (the entries refer to its records), or null
     */
    record Saved(Map<String, TypeIndex> indexes, Map<String, Stamp> stamps, String reason, BodyStore bodies) {
        Saved(Map<String, TypeIndex> indexes, Map<String, Stamp> stamps, String reason) {
            this(indexes, stamps, reason, null);
        }

        static Saved none(String reason) {
            return new Saved(null, Map.of(), reason, null);
        }

        public boolean usable() {
            return indexes != null;
        }
    }

    /**
     * Reads the saved snapshot, if any was left by a clean stop, and removes the clean-stop marker (from now on the
     * file is stale until the next {@link #save}). Never throws: a missing, damaged or foreign file is a reason.
     */
    Saved open(List<ContentType> types);

    /** Writes the snapshot's indexes atomically, then the clean-stop marker. */
    void save(List<ContentType> types, Snapshot snapshot) throws IOException;

    /** As {@link #save(List, Snapshot)}, with the item bodies the entries refer to (kept with it when the store can). */
    default void save(List<ContentType> types, Snapshot snapshot, BodyStore bodies) throws IOException {
        save(types, snapshot);
    }

    /**
     * A new, empty item bodies file for a start that reads every item ({@link BodyStore}); by default a temporary
     * file, gone at exit (no data directory).
     */
    default BodyStore newBodies() throws IOException {
        return BodyStore.temporary();
    }

    /** Removes the snapshot and its marker (the repository is about to change without the index watching). */
    void invalidate() throws IOException;
}
