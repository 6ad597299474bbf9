package dev.cachescope.internal;

import org.jspecify.annotations.Nullable;

/**
 * The most recent operations of one cache, a fixed-capacity ring that overwrites its oldest record
 * when full (it is never trimmed to half, as the seed design's Python list was). Records are stored
 * as {@link RecordColumns}: 32 bytes a slot, plus a 4-byte reference when keys are tracked.
 *
 * <p>Not thread-safe: the owning monitor appends and reads under its drain lock.
 */
public final class OperationHistory implements RecordSink {
  private final int capacity;
  private final RecordColumns columns;
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
    columns = new RecordColumns(capacity, keepKeys);
  }

  @Override
  public void accept(
      long end, long duration, int bits, int keyHash, long size, @Nullable Object key) {
    if (capacity == 0) {
      return;
    }
    columns.write((int) (appended % capacity), end, duration, bits, keyHash, size, key);
    appended++;
  }

  /** How many records it holds now: at most its capacity. */
  public int size() {
    return (int) Math.min(appended, capacity);
  }

  /** Its capacity. */
  public int capacity() {
    return capacity;
  }

  /** Hands the newest {@code limit} records to {@code sink}, oldest of them first. */
  public void replayNewest(int limit, RecordSink sink) {
    int count = Math.min(Math.max(limit, 0), size());
    for (long i = appended - count; i < appended; i++) {
      columns.read((int) (i % capacity), sink, false);
    }
  }
}
