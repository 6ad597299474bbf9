package dev.cachescope;

import dev.cachescope.internal.RecordSink;
import dev.cachescope.internal.StagingBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The per-stripe staging rings between a monitor's hot path and its drain, one ring per stripe for
 * the history's records (sizing samples have rings of their own, in {@link SizingFeed}). Rings are
 * created on a stripe's first record. Offering is lock-free and lossy (see {@link StagingBuffer});
 * draining is for one thread at a time, under the drain lock.
 */
final class StagingRings {
  private static final int CAPACITY = 512;

  private final AtomicReferenceArray<@Nullable StagingBuffer> history;
  private final boolean keepKeys;

  /**
   * @param stripes how many rings
   * @param keepKeys whether the history's rings hold key objects (only when keys are tracked)
   */
  StagingRings(int stripes, boolean keepKeys) {
    this.history = new AtomicReferenceArray<>(stripes);
    this.keepKeys = keepKeys;
  }

  /** Whether the history ring of {@code stripe} can take a record now. */
  boolean hasRoom(int stripe) {
    StagingBuffer ring = history.get(stripe);
    return ring == null || !ring.isFull();
  }

  /** The history ring of {@code stripe}, created if it is the first record there. */
  StagingBuffer history(int stripe) {
    StagingBuffer ring = history.get(stripe);
    return ring != null ? ring : create(stripe);
  }

  /** Drains every ring into {@code sink}, stripe by stripe; under the drain lock. */
  void drainTo(RecordSink sink) {
    for (int i = 0; i < history.length(); i++) {
      StagingBuffer ring = history.get(i);
      if (ring != null) {
        ring.drainTo(sink);
      }
    }
  }

  private StagingBuffer create(int stripe) {
    StagingBuffer created = new StagingBuffer(CAPACITY, keepKeys);
    StagingBuffer raced = history.compareAndExchange(stripe, null, created);
    return raced == null ? created : raced;
  }
}
