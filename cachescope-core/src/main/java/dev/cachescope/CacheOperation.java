package dev.cachescope;

import org.jspecify.annotations.Nullable;

/**
 * One recorded cache operation: the seed design's {@code CacheOperation} (see docs/data-model.md).
 * Serialised with snake_case names: {@code cache_name, operation, timestamp, duration_ms, result,
 * key, size_bytes, source}, then cachescope's additions {@code key_hash, eviction_cause, weight}.
 *
 * @param cacheName the monitored cache
 * @param operation what was done
 * @param timestamp when it ended, Unix epoch seconds with fractions
 * @param durationMs how long it took in milliseconds; {@code null} when it was not timed (an
 *     untimed miss or an eviction)
 * @param result its outcome
 * @param key the key's {@code toString()}, only when keys are tracked ({@code track_keys: true});
 *     otherwise {@code null}
 * @param sizeBytes the value's size when the caller reported it
 * @param source where the value came from, when known
 * @param keyHash a salted hash of the key, stable within this process and meaningless outside it,
 *     to tell operations on one key apart without revealing it; {@code null} when there was no key
 * @param evictionCause why the entry was evicted, for {@link Operation#EVICT}
 * @param weight how many operations this record stands for: 1, or the hit sampling rate for a
 *     sampled hit
 */
public record CacheOperation(
    String cacheName,
    Operation operation,
    double timestamp,
    @Nullable Double durationMs,
    Result result,
    @Nullable String key,
    @Nullable Long sizeBytes,
    @Nullable Source source,
    @Nullable String keyHash,
    @Nullable EvictionCause evictionCause,
    long weight) {}
