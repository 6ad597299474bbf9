package dev.cachescope.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed set of exact, monotonic {@code long} counters, striped by thread so that writers do not
 * contend.
 *
 * <p>Each stripe has an owner: the first thread that hashes to it claims it and from then on
 * updates its counters with a plain read and an opaque write, no atomic instruction, because it is
 * their only writer. A thread that finds its stripe (and the next one) owned by another thread adds
 * with an atomic {@code getAndAdd} to a shared block instead. Owners that have terminated are
 * released by {@link #releaseTerminatedOwners()}, which the reading side calls; their counts stay.
 *
 * <p>Guarantees:
 *
 * <ol>
 *   <li>No increment is ever lost: every counter is written either by its single owner or
 *       atomically.
 *   <li>{@link #sum} sees every increment that happened-before it was called; increments racing
 *       with it may or may not be included, so a sum is never lower than an earlier sum.
 *   <li>Adding takes no lock, allocates nothing and cannot throw.
 * </ol>
 */
public final class StripedCounters {
  private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle OWNERS = MethodHandles.arrayElementVarHandle(Thread[].class);

  /** Longs per stripe: 256 bytes, so the hot counters of two stripes never share a cache line. */
  private static final int BLOCK = 32;

  /** Leading padding inside a block, in longs. */
  private static final int PAD = 8;

  /** The most counters one instance can hold. */
  public static final int MAX_COUNTERS = BLOCK - PAD;

  private final int counters;
  private final int mask;
  private final Thread[] owners;
  private final long[] owned;
  private final long[] shared;

  /**
   * Creates {@code counters} counters, all zero.
   *
   * @param counters how many, at most {@link #MAX_COUNTERS}
   * @param stripes a power of two; see {@link #defaultStripes()}
   */
  public StripedCounters(int counters, int stripes) {
    if (counters < 1 || counters > MAX_COUNTERS) {
      throw new IllegalArgumentException(
          "counters must be between 1 and " + MAX_COUNTERS + ", was " + counters);
    }
    if (stripes < 1 || Integer.bitCount(stripes) != 1) {
      throw new IllegalArgumentException("stripes must be a power of two, was " + stripes);
    }
    this.counters = counters;
    this.mask = stripes - 1;
    this.owners = new Thread[stripes];
    this.owned = new long[stripes * BLOCK];
    this.shared = new long[stripes * BLOCK];
  }

  /** Four stripes per available processor, as a power of two between 8 and 64. */
  public static int defaultStripes() {
    int wanted = Math.max(8, Math.min(64, 4 * Runtime.getRuntime().availableProcessors()));
    return Integer.highestOneBit(wanted - 1) << 1;
  }

  /** The stripe the current thread writes to; the same for the life of the thread. */
  public int stripe() {
    return home(Thread.currentThread());
  }

  /** The number of stripes. */
  public int stripes() {
    return mask + 1;
  }

  /** Adds one to {@code counter}. Lock-free, allocation-free; never throws for a valid index. */
  public void increment(int counter) {
    add(counter, 1L);
  }

  /** Adds {@code delta} to {@code counter}. Lock-free, allocation-free. */
  public void add(int counter, long delta) {
    Thread me = Thread.currentThread();
    int home = home(me);
    // A plain read is enough: only this thread writes itself here, and only once it has
    // terminated is it replaced, so a stale value can only send this add elsewhere.
    if (owners[home] == me) {
      int index = home * BLOCK + PAD + counter;
      COUNTS.setOpaque(owned, index, owned[index] + delta);
    } else {
      addAway(me, home, counter, delta);
    }
  }

  /**
   * An add by a thread that does not own its home stripe (yet): it claims the home stripe or the
   * next if free, or adds atomically to the shared block. Apart from {@link #add} so that the
   * owner's path stays small enough to inline.
   */
  private void addAway(Thread me, int home, int counter, long delta) {
    for (int probe = 0; probe < 2; probe++) {
      int stripe = (home + probe) & mask;
      Thread owner = owners[stripe];
      if (owner == me || (owner == null && OWNERS.compareAndSet(owners, stripe, null, me))) {
        int index = stripe * BLOCK + PAD + counter;
        COUNTS.setOpaque(owned, index, owned[index] + delta);
        return;
      }
    }
    COUNTS.getAndAdd(shared, home * BLOCK + PAD + counter, delta);
  }

  /** The current value of {@code counter}. */
  public long sum(int counter) {
    long sum = 0;
    for (int stripe = 0; stripe <= mask; stripe++) {
      int index = stripe * BLOCK + PAD + counter;
      sum += (long) COUNTS.getAcquire(owned, index) + (long) COUNTS.getAcquire(shared, index);
    }
    return sum;
  }

  /** Every counter's current value, in one pass: element {@code i} is counter {@code i}. */
  public long[] sumAll() {
    long[] sums = new long[counters];
    for (int stripe = 0; stripe <= mask; stripe++) {
      int base = stripe * BLOCK + PAD;
      for (int c = 0; c < counters; c++) {
        sums[c] +=
            (long) COUNTS.getAcquire(owned, base + c) + (long) COUNTS.getAcquire(shared, base + c);
      }
    }
    return sums;
  }

  /**
   * Releases the stripes whose owner thread has terminated, so that live threads can own them.
   * Their counts stay: the next owner adds to them. Call from the reading side, never the hot path.
   */
  public void releaseTerminatedOwners() {
    for (int stripe = 0; stripe <= mask; stripe++) {
      Thread owner = (Thread) OWNERS.getAcquire(owners, stripe);
      if (owner != null && !owner.isAlive()) {
        OWNERS.compareAndSet(owners, stripe, owner, null);
      }
    }
  }

  private int home(Thread thread) {
    // Thread ids are small consecutive numbers; the golden-ratio multiply spreads them.
    @SuppressWarnings("deprecation") // Thread.threadId() needs Java 19; getId() is the same value.
    long id = thread.getId();
    return (int) ((id * 0x9E3779B97F4A7C15L) >>> 40) & mask;
  }
}
