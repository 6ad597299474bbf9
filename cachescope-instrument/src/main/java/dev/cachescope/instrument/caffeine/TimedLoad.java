package dev.cachescope.instrument.caffeine;

import dev.cachescope.CacheMonitor;
import java.util.function.Function;

/** Runs a caller's mapping function as a timed load: a failure if it throws or returns null. */
final class TimedLoad<T, R> implements Function<T, R> {
  private final Function<? super T, ? extends R> function;
  private final CacheMonitor monitor;

  TimedLoad(Function<? super T, ? extends R> function, CacheMonitor monitor) {
    this.function = function;
    this.monitor = monitor;
  }

  @Override
  public R apply(T input) {
    long start = monitor.startTimed();
    R result;
    try {
      result = function.apply(input);
    } catch (RuntimeException | Error e) {
      monitor.recordLoad(start, false, null);
      throw e;
    }
    monitor.recordLoad(start, result != null, null);
    return result;
  }
}
