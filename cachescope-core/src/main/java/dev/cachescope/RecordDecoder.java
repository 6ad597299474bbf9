package dev.cachescope;

import dev.cachescope.internal.OperationRecord;
import java.security.SecureRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Turns a monitor's packed records into what users read: {@link CacheOperation}s, epoch seconds,
 * salted key hashes and keys' descriptions. Thread-safe.
 */
final class RecordDecoder {
  /** Salts key hashes so that a served hash says nothing about the key outside this process. */
  private static final long KEY_SALT = new SecureRandom().nextLong();

  private final String cacheName;
  private final long epochOffsetNanos;
  private final Consumer<Throwable> faults;

  /**
   * @param tickerNow the monitor's ticker read now, to align its readings with the wall clock
   * @param faults where a key whose {@code toString()} throws is reported
   */
  RecordDecoder(String cacheName, long tickerNow, Consumer<Throwable> faults) {
    this.cacheName = cacheName;
    this.epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - tickerNow;
    this.faults = faults;
  }

  /** One record as an operation; the arguments are a {@code RecordSink}'s. */
  CacheOperation operation(
      long endNanos, long durationNanos, int bits, int keyHash, long size, @Nullable Object key) {
    return new CacheOperation(
        cacheName,
        OperationRecord.operation(bits),
        epochSeconds(endNanos),
        durationNanos < 0 ? null : durationNanos / 1e6,
        OperationRecord.result(bits),
        key == null ? null : describe(key),
        size < 0 ? null : size,
        OperationRecord.source(bits),
        OperationRecord.hasKey(bits) ? hashKey(keyHash) : null,
        OperationRecord.cause(bits),
        OperationRecord.weight(bits));
  }

  /** A key as served when keys are tracked: its {@code toString()}, or a note when that threw. */
  String describe(Object key) {
    try {
      return String.valueOf(key);
    } catch (RuntimeException e) {
      faults.accept(e);
      return "<key toString() failed>";
    }
  }

  /** A key's identity as served when keys are not tracked: its hash, salted and mixed. */
  static String hashKey(int keyHash) {
    long h = keyHash ^ KEY_SALT;
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return Long.toHexString(h ^ (h >>> 33));
  }

  /** A reading of the monitor's ticker as seconds since the epoch. */
  double epochSeconds(long tickerNanos) {
    return (epochOffsetNanos + tickerNanos) / 1e9;
  }
}
