package dev.cachescope;

/**
 * One of a cache's most looked-up keys ({@link CacheSnapshot#hotKeys()}), estimated with
 * Space-Saving from the sampled lookups. JSON: {@code key, estimated_lookups, max_error}.
 *
 * @param key the key itself when keys are tracked, else its salted hash ({@code #1a2b...}), the
 *     same as {@code key_hash} in the operations history
 * @param estimatedLookups lookups of the key, estimated: sampled lookups times the sampling rate
 * @param maxError how much {@code estimatedLookups} may overstate, in lookups
 */
public record HotKey(String key, long estimatedLookups, long maxError) {}
