package dev.cachescope;

import dev.cachescope.internal.RecordSink;
import dev.cachescope.internal.StagingBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The per-stripe staging rings between a monitor's hot path and its drain: one ring per stripe for
 * the history's records and, apart, one for sizing samples, so that those never crowd out the
 * history. Rings are created on a stripe's first record. Offering is lock-free and lossy (see
 * {@link StagingBuffer}); draining is for one thread at a time, under the drain lock.
 */
final class StagingRings {
  private static final int CAPACITY = 256;

  private final AtomicReferenceArray<@Nullable StagingBuffer> history;
  private final AtomicReferenceArray<@Nullable StagingBuffer> sizing;
  private final boolean keepKeys;

  /**
   * @param stripes how many rings of each kind
   * @param keepKeys whether the history's rings hold key objects (only when keys are tracked)
   */
  StagingRings(int stripes, boolean keepKeys) {
    this.history = new AtomicReferenceArray<>(stripes);
    this.sizing = new AtomicReferenceArray<>(stripes);
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
    return ring != null ? ring : create(history, stripe, keepKeys);
  }

  /** The sizing ring of {@code stripe}, created if it is the first sample there. */
  StagingBuffer sizing(int stripe) {
    StagingBuffer ring = sizing.get(stripe);
    return ring != null ? ring : create(sizing, stripe, false);
  }

  /** Drains every ring into {@code sink}, stripe by stripe; under the drain lock. */
  void drainTo(RecordSink sink) {
    for (int i = 0; i < history.length(); i++) {
      StagingBuffer ring = history.get(i);
      if (ring != null) {
        ring.drainTo(sink);
      }
      StagingBuffer sizingRing = sizing.get(i);
      if (sizingRing != null) {
        sizingRing.drainTo(sink);
      }
    }
  }

  private static StagingBuffer create(
      AtomicReferenceArray<@Nullable StagingBuffer> rings, int stripe, boolean keepKeys) {
    StagingBuffer created = new StagingBuffer(CAPACITY, keepKeys);
    StagingBuffer raced = rings.compareAndExchange(stripe, null, created);
    return raced == null ? created : raced;
  }
}
