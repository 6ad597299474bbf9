package dev.cachescope;

import dev.cachescope.internal.StripedCounters;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The exact counters of one monitor, one named slot per outcome, over {@link StripedCounters}.
 * Writers call the increment for their outcome (lock-free, allocation-free, never throws); readers
 * take a {@link Reading}, a typed copy of every slot summed at one moment.
 */
@SuppressWarnings("EnumOrdinal") // ordinals index the slots, by design
final class MonitorCounters {
  /** The slot after the last source: lookups whose adapter could not tell the source. */
  private static final int NO_SOURCE = Source.values().length;

  /** The slot after the last cause: evictions whose cause is unknown. */
  private static final int NO_CAUSE = EvictionCause.values().length;

  private static final int HIT = 0;
  private static final int MISS = HIT + NO_SOURCE + 1;
  private static final int PUT = MISS + NO_SOURCE + 1;
  private static final int REMOVAL = PUT + 1;
  private static final int CLEAR = REMOVAL + 1;
  private static final int LOAD_SUCCESS = CLEAR + 1;
  private static final int LOAD_FAILURE = LOAD_SUCCESS + 1;
  private static final int ERROR = LOAD_FAILURE + 1;
  private static final int EVICTION = ERROR + 1;
  private static final int FAULT = EVICTION + NO_CAUSE + 1;
  private static final int DROPPED = FAULT + 1;
  private static final int SLOTS = DROPPED + 1;

  private final StripedCounters striped =
      new StripedCounters(SLOTS, StripedCounters.defaultStripes());

  /** The stripe, and so the staging ring, the current thread writes to. */
  int stripe() {
    return striped.stripe();
  }

  /** How many stripes, and so staging rings per kind, there are. */
  int stripes() {
    return striped.stripes();
  }

  void hit(@Nullable Source source) {
    striped.increment(HIT + slot(source));
  }

  void miss(@Nullable Source source) {
    striped.increment(MISS + slot(source));
  }

  void put() {
    striped.increment(PUT);
  }

  void removal() {
    striped.increment(REMOVAL);
  }

  void clear() {
    striped.increment(CLEAR);
  }

  void load(boolean success) {
    striped.increment(success ? LOAD_SUCCESS : LOAD_FAILURE);
  }

  void error() {
    striped.increment(ERROR);
  }

  void eviction(@Nullable EvictionCause cause) {
    striped.increment(EVICTION + (cause == null ? NO_CAUSE : cause.ordinal()));
  }

  void evictions(EvictionCause cause, long count) {
    striped.add(EVICTION + cause.ordinal(), count);
  }

  void fault() {
    striped.increment(FAULT);
  }

  void dropped() {
    striped.increment(DROPPED);
  }

  /** Counts one operation by its result: the general form behind the scope API. */
  void count(Result result, @Nullable Source source) {
    switch (result) {
      case HIT -> hit(source);
      case MISS -> miss(source);
      case STORE -> put();
      case REMOVE -> removal();
      case CLEAR -> clear();
      case EVICT -> eviction(null);
      case SUCCESS -> load(true);
      case FAILURE -> load(false);
      case ERROR -> error();
    }
  }

  /** Every slot's value now; releases stripes of terminated threads first (reading side only). */
  Reading read() {
    striped.releaseTerminatedOwners();
    return new Reading(striped.sumAll());
  }

  private static int slot(@Nullable Source source) {
    return source == null ? NO_SOURCE : source.ordinal();
  }

  /** The counters at one moment, read by name. Immutable. */
  static final class Reading {
    private final long[] c;

    private Reading(long[] c) {
      this.c = c;
    }

    long hits() {
      return sum(HIT, NO_SOURCE + 1);
    }

    long misses() {
      return sum(MISS, NO_SOURCE + 1);
    }

    /** Lookups: hits plus misses. */
    long gets() {
      return hits() + misses();
    }

    long puts() {
      return c[PUT];
    }

    long removals() {
      return c[REMOVAL];
    }

    long clears() {
      return c[CLEAR];
    }

    long loadSuccesses() {
      return c[LOAD_SUCCESS];
    }

    long loadFailures() {
      return c[LOAD_FAILURE];
    }

    long loads() {
      return loadSuccesses() + loadFailures();
    }

    long errors() {
      return c[ERROR];
    }

    long evictions() {
      return sum(EVICTION, NO_CAUSE + 1);
    }

    long faults() {
      return c[FAULT];
    }

    long dropped() {
      return c[DROPPED];
    }

    /** Lookups, writes, removals and clears: what the windows call operations. */
    long operations() {
      return gets() + puts() + removals() + clears();
    }

    /** The exact count of the operations behind {@code operation}'s latency histogram. */
    long of(Operation operation) {
      return switch (operation) {
        case GET -> gets();
        case SET -> puts();
        case DELETE -> removals();
        case CLEAR -> clears();
        case LOAD -> loads();
        case EVICT -> 0;
      };
    }

    /** Lookups by source, every source named, then {@code unspecified} when there were any. */
    Map<String, Long> lookupsBySource() {
      Map<String, Long> sources = new LinkedHashMap<>();
      for (Source source : Source.values()) {
        sources.put(source.toString(), c[HIT + source.ordinal()] + c[MISS + source.ordinal()]);
      }
      long unspecified = c[HIT + NO_SOURCE] + c[MISS + NO_SOURCE];
      if (unspecified > 0) {
        sources.put("unspecified", unspecified);
      }
      return sources;
    }

    /** Evictions by cause, every cause named, then {@code unspecified} when there were any. */
    Map<String, Long> evictionsByCause() {
      Map<String, Long> byCause = new LinkedHashMap<>();
      for (EvictionCause cause : EvictionCause.values()) {
        byCause.put(cause.toString(), c[EVICTION + cause.ordinal()]);
      }
      if (c[EVICTION + NO_CAUSE] > 0) {
        byCause.put("unspecified", c[EVICTION + NO_CAUSE]);
      }
      return byCause;
    }

    private long sum(int from, int count) {
      long sum = 0;
      for (int i = from; i < from + count; i++) {
        sum += c[i];
      }
      return sum;
    }
  }
}
