package dev.cachescope.internal;

import org.jspecify.annotations.Nullable;

/**
 * The most recent operations of one cache, a fixed-capacity ring that overwrites its oldest record
 * when full (it is never trimmed to half, as the design's Python list was). Records are stored as
 * parallel primitive arrays: 32 bytes a slot, plus a 4-byte reference when keys are tracked.
 *
 * <p>Not thread-safe: the owning monitor appends and reads under its drain lock.
 */
public final class OperationHistory implements RecordSink {
  private final int capacity;
  private final long[] endNanos;
  private final long[] durations;
  private final long[] sizes;
  private final int[] keyHashes;
  private final int[] packed;
  private final @Nullable Object @Nullable [] keys;
  private long appended;

  /**
   * @param capacity how many records to keep; 0 keeps none
   * @param keepKeys whether to keep key objects
   */
  public OperationHistory(int capacity, boolean keepKeys) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
    }
    this.capacity = capacity;
    endNanos = new long[capacity];
    durations = new long[capacity];
    sizes = new long[capacity];
    keyHashes = new int[capacity];
    packed = new int[capacity];
    keys = keepKeys ? new Object[capacity] : null;
  }

  @Override
  public void accept(
      long end, long duration, int bits, int keyHash, long size, @Nullable Object key) {
    if (capacity == 0) {
      return;
    }
    int slot = (int) (appended % capacity);
    endNanos[slot] = end;
    durations[slot] = duration;
    sizes[slot] = size;
    keyHashes[slot] = keyHash;
    packed[slot] = bits;
    @Nullable Object[] keyArray = keys;
    if (keyArray != null) {
      keyArray[slot] = key;
    }
    appended++;
  }

  /** How many records it holds now: at most its capacity. */
  public int size() {
    return (int) Math.min(appended, capacity);
  }

  /** How many records were ever appended. */
  public long appended() {
    return appended;
  }

  /** Its capacity. */
  public int capacity() {
    return capacity;
  }

  /** Hands the newest {@code limit} records to {@code sink}, oldest of them first. */
  public void replayNewest(int limit, RecordSink sink) {
    int count = Math.min(Math.max(limit, 0), size());
    for (long i = appended - count; i < appended; i++) {
      int slot = (int) (i % capacity);
      @Nullable Object[] keyArray = keys;
      sink.accept(
          endNanos[slot],
          durations[slot],
          packed[slot],
          keyHashes[slot],
          sizes[slot],
          keyArray == null ? null : keyArray[slot]);
    }
  }
}
