package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import wales.exchange.delivery.http.ResponseCache;

/**
 * (From the second review of the pooled-buffer copy.) A cached body copied into pooled buffers: every buffer taken is
 * given back when the copy cannot be made, and the request is then answered by the full chain (null), not failed.
 */
class FastPathPooledCopyTest {
    /** A direct pool of 1,000-byte buffers that fails its {@code failAt}th allocation; counts what is given back. */
    static final class Pool implements ByteBufferPool {
        final int failAt;
        final AtomicInteger taken = new AtomicInteger();
        final AtomicInteger freed = new AtomicInteger();

        Pool(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public PooledByteBuffer allocate() {
            if (taken.incrementAndGet() == failAt) {
                throw new IllegalStateException("pool closed");
            }
            ByteBuffer b = ByteBuffer.allocateDirect(1_000);
            return new PooledByteBuffer() {
                boolean open = true;

                @Override
                public ByteBuffer getBuffer() {
                    return b;
                }

                @Override
                public void close() {
                    if (open) {
                        open = false;
                        freed.incrementAndGet();
                    }
                }

                @Override
                public boolean isOpen() {
                    return open;
                }
            };
        }

        @Override
        public ByteBufferPool getArrayBackedPool() {
            return this;
        }

        @Override
        public void close() {
        }

        @Override
        public int getBufferSize() {
            return 1_000;
        }

        @Override
        public boolean isDirect() {
            return true;
        }
    }

    private static ResponseCache cacheWith(String key, byte[] body) {
        ResponseCache cache = new ResponseCache(() -> 1, Clock.systemUTC(), 1 << 20, 60_000);
        cache.put(key, new ResponseCache.Cached(1, List.<String[]>of(new String[] {"ETag", "\"x\""}), body, "\"x\""));
        return cache;
    }

    @Test
    void aWholeCopyKeepsItsBuffersForTheSend() {
        byte[] body = new byte[2_500];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        ResponseCache cache = cacheWith("k", body);
        Pool pool = new Pool(0);
        PooledByteBuffer[] pooled = FastPathHandler.copied(cache, cache.find("k"), pool, 3);
        assertThat(pooled).hasSize(3);
        assertThat(pool.freed).hasValue(0);
        byte[] out = new byte[2_500];
        int at = 0;
        for (PooledByteBuffer p : pooled) {
            ByteBuffer b = p.getBuffer().flip();
            int n = b.remaining();
            b.get(out, at, n);
            at += n;
        }
        assertThat(out).isEqualTo(body);
        assertThat(cache.hits()).isEqualTo(1);
    }

    @Test
    void aBufferThatCannotBeHadGivesBackTheOnesTakenAndAnswersNothing() {
        ResponseCache cache = cacheWith("k", new byte[2_500]);
        Pool pool = new Pool(2); // the second of three buffers fails
        assertThat(FastPathHandler.copied(cache, cache.find("k"), pool, 3)).isNull();
        assertThat(pool.freed).as("the one taken before the failure is given back").hasValue(1);
        assertThat(cache.hits()).as("not answered from the cache: not a hit").isZero();
    }
}
