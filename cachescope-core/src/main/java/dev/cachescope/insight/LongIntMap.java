package dev.cachescope.insight;

/**
 * A fixed-capacity open-addressing map from {@code long} to {@code int}, allocation-free after
 * construction: linear probing, and backward-shift deletion so that no tombstones pile up. Holds at
 * most half its table, which {@link SpaceSaving} guarantees by construction. Not thread-safe.
 */
final class LongIntMap {
  static final int MISSING = -1;

  private final long[] keys;
  private final int[] values;
  private final boolean[] used;
  private final int mask;

  /** A map for at most {@code maxEntries} entries. */
  LongIntMap(int maxEntries) {
    int size = Integer.highestOneBit(Math.max(2, maxEntries) * 4 - 1);
    keys = new long[size];
    values = new int[size];
    used = new boolean[size];
    mask = size - 1;
  }

  private int slotOf(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** The value of {@code key}, or {@link #MISSING}. */
  int get(long key) {
    for (int i = slotOf(key); used[i]; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return values[i];
      }
    }
    return MISSING;
  }

  void put(long key, int value) {
    int i = slotOf(key);
    while (used[i] && keys[i] != key) {
      i = (i + 1) & mask;
    }
    used[i] = true;
    keys[i] = key;
    values[i] = value;
  }

  void remove(long key) {
    int i = slotOf(key);
    while (used[i] && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (!used[i]) {
      return;
    }
    // Backward-shift: move later entries of the probe run into the gap while they may.
    int gap = i;
    for (int j = (gap + 1) & mask; used[j]; j = (j + 1) & mask) {
      int home = slotOf(keys[j]);
      boolean movable = gap <= j ? (home <= gap || home > j) : (home <= gap && home > j);
      if (movable) {
        keys[gap] = keys[j];
        values[gap] = values[j];
        gap = j;
      }
    }
    used[gap] = false;
  }

  /**
   * Adds {@code delta} to every value (the positions shift when a counter is inserted in front).
   */
  void addToAll(int delta) {
    for (int i = 0; i < values.length; i++) {
      if (used[i]) {
        values[i] += delta;
      }
    }
  }
}
