package dev.cachescope.internal;

import org.jspecify.annotations.Nullable;

/**
 * Fixed-capacity storage for operation records as parallel primitive arrays: 32 bytes a slot, plus
 * a 4-byte reference when keys are kept. Writing a slot allocates nothing. Used by both rings, the
 * staging buffer and the history.
 *
 * <p>Not thread-safe; its users publish slots themselves.
 */
final class RecordColumns {
  private final long[] endNanos;
  private final long[] durations;
  private final long[] sizes;
  private final int[] keyHashes;
  private final int[] packed;
  private final @Nullable Object @Nullable [] keys;

  RecordColumns(int capacity, boolean keepKeys) {
    endNanos = new long[capacity];
    durations = new long[capacity];
    sizes = new long[capacity];
    keyHashes = new int[capacity];
    packed = new int[capacity];
    keys = keepKeys ? new Object[capacity] : null;
  }

  void write(
      int slot, long end, long duration, int bits, int keyHash, long size, @Nullable Object key) {
    endNanos[slot] = end;
    durations[slot] = duration;
    sizes[slot] = size;
    keyHashes[slot] = keyHash;
    packed[slot] = bits;
    @Nullable Object[] keyArray = keys;
    if (keyArray != null) {
      keyArray[slot] = key;
    }
  }

  /** Hands slot {@code slot} to {@code sink}; with {@code release}, forgets its key first. */
  void read(int slot, RecordSink sink, boolean release) {
    @Nullable Object[] keyArray = keys;
    Object key = null;
    if (keyArray != null) {
      key = keyArray[slot];
      if (release) {
        keyArray[slot] = null;
      }
    }
    sink.accept(endNanos[slot], durations[slot], packed[slot], keyHashes[slot], sizes[slot], key);
  }
}
