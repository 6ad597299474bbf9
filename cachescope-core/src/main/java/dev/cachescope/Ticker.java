package dev.cachescope;

/**
 * A monotonic nanosecond time source. The default is {@link System#nanoTime()}; tests supply their
 * own to control durations and windows.
 */
@FunctionalInterface
public interface Ticker {
  /** Nanoseconds since an arbitrary origin; only differences mean anything. */
  long read();

  /** The system ticker, {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
