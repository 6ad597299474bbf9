package dev.cachescope.internal;

import dev.cachescope.EvictionCause;
import dev.cachescope.Operation;
import dev.cachescope.Result;
import dev.cachescope.Source;
import org.jspecify.annotations.Nullable;

/**
 * The bit layout of one recorded operation's enums and flags, packed into an {@code int} so that
 * the hot path stores primitives only.
 *
 * <pre>
 * bits 0-2   operation ordinal
 * bits 3-6   result ordinal
 * bits 7-9   source ordinal + 1 (0 = none)
 * bits 10-11 eviction cause ordinal + 1 (0 = none)
 * bits 12-16 log2 of the sampling weight
 * bit  17    the operation had a key
 * bit  18    the duration was measured
 * bit  19    a lookup chosen by the 1-in-N draw: a uniform sample of lookups
 * bit  20    kept only as a spatial sample for sizing, not for the history
 * </pre>
 */
@SuppressWarnings("EnumOrdinal") // ordinals index dense arrays and packed bits, by design
public final class OperationRecord {
  private static final Operation[] OPERATIONS = Operation.values();
  private static final Result[] RESULTS = Result.values();
  private static final Source[] SOURCES = Source.values();
  private static final EvictionCause[] CAUSES = EvictionCause.values();

  /** Flag: the operation had a key. */
  public static final int HAS_KEY = 1 << 17;

  /** Flag: the duration was measured. */
  public static final int TIMED = 1 << 18;

  /** Flag: a lookup chosen by the timing budget, which stands for its weight in lookups. */
  public static final int SAMPLED = 1 << 19;

  /** No flags. */
  public static final int NO_FLAGS = 0;

  private OperationRecord() {}

  /**
   * Packs the parts of a record. {@code weightLog2} is between 0 and 31; {@code flags} is a union
   * of {@link #HAS_KEY}, {@link #TIMED} and {@link #SAMPLED}, or {@link #NO_FLAGS}.
   */
  public static int pack(
      Operation operation,
      Result result,
      @Nullable Source source,
      @Nullable EvictionCause cause,
      int weightLog2,
      int flags) {
    return operation.ordinal()
        | result.ordinal() << 3
        | (source == null ? 0 : source.ordinal() + 1) << 7
        | (cause == null ? 0 : cause.ordinal() + 1) << 10
        | (weightLog2 & 31) << 12
        | (flags & (HAS_KEY | TIMED | SAMPLED));
  }

  public static Operation operation(int packed) {
    return OPERATIONS[packed & 7];
  }

  public static Result result(int packed) {
    return RESULTS[(packed >>> 3) & 15];
  }

  public static @Nullable Source source(int packed) {
    int s = (packed >>> 7) & 7;
    return s == 0 ? null : SOURCES[s - 1];
  }

  public static @Nullable EvictionCause cause(int packed) {
    int c = (packed >>> 10) & 3;
    return c == 0 ? null : CAUSES[c - 1];
  }

  /** How many operations this record stands for: 2^weightLog2 (a sampled hit stands for N). */
  public static long weight(int packed) {
    return 1L << ((packed >>> 12) & 31);
  }

  public static boolean hasKey(int packed) {
    return (packed & HAS_KEY) != 0;
  }

  public static boolean timed(int packed) {
    return (packed & TIMED) != 0;
  }

  /** Whether the record is a lookup chosen by the timing budget. */
  public static boolean sampled(int packed) {
    return (packed & SAMPLED) != 0;
  }
}
