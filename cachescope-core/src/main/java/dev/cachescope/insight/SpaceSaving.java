package dev.cachescope.insight;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The most frequent keys of a stream in bounded memory: Metwally, Agrawal and El Abbadi's
 * Space-Saving algorithm (ICDT 2005) over {@code capacity} counters.
 *
 * <p>Guarantees, for a stream of {@code n} offers: a key offered more than {@code n / capacity}
 * times is among the counters; each counter's {@link Entry#count()} overestimates the key's true
 * count by at most its {@link Entry#error()}, and {@code error <= n / capacity}.
 *
 * <p>Each offer is O(1) and allocates nothing: the counters are kept in an array sorted by count,
 * ascending, with the last index of every run of equal counts (both indexes are primitive
 * open-addressing maps), so an increment swaps the counter with the end of its run. A new key
 * replaces the minimum, at index 0. Memory is fixed by {@code capacity}. Not thread-safe.
 */
public final class SpaceSaving {
  /**
   * One counter.
   *
   * @param key the key's identity (a hash, or an index)
   * @param label what to show for the key, if the caller attached something
   * @param count offers counted for the key, an overestimate by at most {@code error}
   * @param error how much of {@code count} may belong to keys this counter held before
   */
  public record Entry(long key, @Nullable Object label, long count, long error) {}

  private final long[] keys;
  private final @Nullable Object[] labels;
  private final long[] counts;
  private final long[] errors;
  private final LongIntMap positions;

  /** For each count value present, the last index holding it. */
  private final LongIntMap runEnds;

  private int size;
  private long offers;

  /** A sketch of {@code capacity} counters, at least 1. */
  public SpaceSaving(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    keys = new long[capacity];
    labels = new Object[capacity];
    counts = new long[capacity];
    errors = new long[capacity];
    positions = new LongIntMap(capacity);
    runEnds = new LongIntMap(capacity + 1);
  }

  /** Counts one occurrence of {@code key}; {@code label} replaces the stored label if not null. */
  public void offer(long key, @Nullable Object label) {
    offers++;
    int position = positions.get(key);
    int p;
    if (position != LongIntMap.MISSING) {
      p = position;
    } else if (size < keys.length) {
      p = insertAtFront(key);
    } else {
      // Replace the minimum, which sits at index 0; its count becomes the newcomer's error.
      p = 0;
      positions.remove(keys[0]);
      keys[0] = key;
      errors[0] = counts[0];
      labels[0] = null;
      positions.put(key, 0);
    }
    if (label != null) {
      labels[p] = label;
    }
    increment(p);
  }

  /** Adds a counter of count 0 at index 0, shifting the others up (only while filling). */
  private int insertAtFront(long key) {
    System.arraycopy(keys, 0, keys, 1, size);
    System.arraycopy(labels, 0, labels, 1, size);
    System.arraycopy(counts, 0, counts, 1, size);
    System.arraycopy(errors, 0, errors, 1, size);
    size++;
    keys[0] = key;
    labels[0] = null;
    counts[0] = 0;
    errors[0] = 0;
    for (int i = 0; i < size; i++) {
      positions.put(keys[i], i);
    }
    runEnds.addToAll(1);
    if (runEnds.get(0L) == LongIntMap.MISSING) {
      runEnds.put(0L, 0);
    }
    return 0;
  }

  private void increment(int p) {
    long c = counts[p];
    int q = runEnds.get(c);
    swap(p, q);
    counts[q] = c + 1;
    if (q > 0 && counts[q - 1] == c) {
      runEnds.put(c, q - 1);
    } else {
      runEnds.remove(c);
    }
    if (q + 1 >= size || counts[q + 1] != c + 1) {
      runEnds.put(c + 1, q);
    }
  }

  private void swap(int a, int b) {
    if (a == b) {
      return;
    }
    long key = keys[a];
    Object label = labels[a];
    long count = counts[a];
    long error = errors[a];
    keys[a] = keys[b];
    labels[a] = labels[b];
    counts[a] = counts[b];
    errors[a] = errors[b];
    keys[b] = key;
    labels[b] = label;
    counts[b] = count;
    errors[b] = error;
    positions.put(keys[a], a);
    positions.put(keys[b], b);
  }

  /**
   * The {@code limit} counters with the highest guaranteed counts ({@code count - error}), highest
   * first. Ranking by the guaranteed count keeps out keys that entered late with a large inherited
   * error.
   */
  public List<Entry> top(int limit) {
    List<Entry> all = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      all.add(new Entry(keys[i], labels[i], counts[i], errors[i]));
    }
    all.sort(Comparator.comparingLong((Entry e) -> e.count() - e.error()).reversed());
    return List.copyOf(all.subList(0, Math.min(limit, all.size())));
  }

  /** How many offers were made. */
  public long offers() {
    return offers;
  }
}
