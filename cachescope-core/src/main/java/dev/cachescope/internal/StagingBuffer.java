package dev.cachescope.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A bounded, lossy, multi-producer single-consumer ring of operation records, stored as primitive
 * columns so that offering allocates nothing.
 *
 * <p>A producer claims a slot with one compare-and-set on the tail; if the ring is full or the
 * compare-and-set fails, the record is dropped and {@link #offer} returns {@code false}. It never
 * retries and never waits. After writing the slot's fields the producer publishes it with a release
 * store of the slot's sequence number; the consumer reads a slot only after an acquire load of that
 * number shows it published, so it never sees a half-written record. Producers never overwrite an
 * unread slot, so a slot cannot change under the consumer.
 *
 * <p>Records are stored in {@link RecordColumns}. {@link #drainTo} must be called by one thread at
 * a time (the caller holds the monitor's drain lock).
 */
public final class StagingBuffer {
  private static final VarHandle TAIL;
  private static final VarHandle HEAD;
  private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(int[].class);

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAIL = lookup.findVarHandle(StagingBuffer.class, "tail", long.class);
      HEAD = lookup.findVarHandle(StagingBuffer.class, "head", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int mask;
  private final RecordColumns columns;
  private final int[] sequence;

  @SuppressWarnings("unused") // padding keeps head and tail off the arrays' cache line
  private long p0, p1, p2, p3, p4, p5, p6;

  private volatile long tail;

  @SuppressWarnings("unused")
  private long q0, q1, q2, q3, q4, q5, q6;

  private volatile long head;

  /**
   * @param capacity a power of two
   * @param keepKeys whether to hold the key objects (only when keys are tracked)
   */
  public StagingBuffer(int capacity, boolean keepKeys) {
    if (capacity < 2 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two >= 2, was " + capacity);
    }
    mask = capacity - 1;
    columns = new RecordColumns(capacity, keepKeys);
    sequence = new int[capacity];
  }

  /**
   * Adds a record, or drops it when the ring is full or another producer won the slot.
   *
   * @return whether the record was kept
   */
  public boolean offer(
      long end, long duration, int bits, int keyHash, long size, @Nullable Object key) {
    long t = (long) TAIL.getOpaque(this);
    if (t - (long) HEAD.getAcquire(this) > mask || !TAIL.compareAndSet(this, t, t + 1)) {
      return false;
    }
    int slot = (int) t & mask;
    columns.write(slot, end, duration, bits, keyHash, size, key);
    SEQUENCE.setRelease(sequence, slot, (int) (t + 1));
    return true;
  }

  /**
   * Hands every published record to {@code sink}, oldest first, and frees its slot. Stops early at
   * a slot whose producer has claimed but not yet published it; the rest follow on the next call.
   *
   * @return how many records were drained
   */
  public int drainTo(RecordSink sink) {
    return drainTo(sink, Integer.MAX_VALUE);
  }

  /** As {@link #drainTo(RecordSink)}, but hands at most {@code max} records. */
  public int drainTo(RecordSink sink, int max) {
    long h = head;
    long t = tail;
    int drained = 0;
    while (h < t && drained < max) {
      int slot = (int) h & mask;
      if ((int) SEQUENCE.getAcquire(sequence, slot) != (int) (h + 1)) {
        break;
      }
      // The sink runs before the slot is freed, so no producer can overwrite it meanwhile; the
      // head moves even if the sink throws, so a record is never delivered twice.
      try {
        columns.read(slot, sink, true);
      } finally {
        h++;
        drained++;
        HEAD.setRelease(this, h);
      }
    }
    return drained;
  }

  /** Whether every slot holds an undrained record, so that {@link #offer} would drop. */
  public boolean isFull() {
    return (long) TAIL.getOpaque(this) - (long) HEAD.getAcquire(this) > mask;
  }
}
