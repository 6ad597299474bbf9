/**
 * cachescope's public API: {@link dev.cachescope.CacheMonitor} records the operations of one cache,
 * {@link dev.cachescope.MetricsAggregator} holds the monitors of an application and turns them into
 * {@link dev.cachescope.CacheSnapshot}s and a {@link dev.cachescope.MetricsSummary}.
 *
 * <h2>One vocabulary</h2>
 *
 * Each act has one name per layer; the wire names (JSON, YAML, metrics) never change.
 *
 * <table>
 *   <caption>Acts and their names</caption>
 *   <tr><th>act</th><th>{@link dev.cachescope.Operation} / {@link dev.cachescope.Result}</th>
 *       <th>recording method</th><th>snapshot counter</th></tr>
 *   <tr><td>a lookup that found a value</td><td>{@code get} / {@code hit}</td>
 *       <td>{@code recordHit}</td><td>{@code hits}</td></tr>
 *   <tr><td>a lookup that found nothing</td><td>{@code get} / {@code miss}</td>
 *       <td>{@code recordMiss}</td><td>{@code misses}</td></tr>
 *   <tr><td>a write of one entry</td><td>{@code set} / {@code store}</td>
 *       <td>{@code recordPut}</td><td>{@code puts}</td></tr>
 *   <tr><td>a removal on request</td><td>{@code delete} / {@code remove}</td>
 *       <td>{@code recordRemoval}</td><td>{@code removals}</td></tr>
 *   <tr><td>removal of every entry</td><td>{@code clear} / {@code clear}</td>
 *       <td>{@code recordClear}</td><td>{@code clears}</td></tr>
 *   <tr><td>computing a value after a miss</td><td>{@code load} / {@code success}, {@code
 *       failure}</td><td>{@code recordLoad}</td><td>{@code loads}, {@code load_failures}</td></tr>
 *   <tr><td>the cache dropping an entry itself</td><td>{@code evict} / {@code evict}</td>
 *       <td>{@code recordEviction}</td><td>{@code evictions}</td></tr>
 *   <tr><td>the cache itself throwing</td><td>any / {@code error}</td>
 *       <td>{@code recordError}</td><td>{@code errors}</td></tr>
 * </table>
 *
 * {@code set} and {@code store} are the seed design's words for a write, kept on the wire; Java
 * says "put", as every Java cache library does. The builder's methods are the YAML keys in Java's
 * case: {@code max_operations_history} is {@link
 * dev.cachescope.CacheMonitor.Builder#maxOperationsHistory}, {@code track_timing} {@link
 * dev.cachescope.CacheMonitor.Builder#trackTiming}, {@code hit_sample_rate} {@link
 * dev.cachescope.CacheMonitor.Builder#hitSampleRate} (time one lookup in that many).
 * docs/data-model.md has every field.
 *
 * <p>Everything here is thread-safe unless its javadoc says otherwise. Nothing thrown by the
 * monitoring machinery reaches a caller of a recording method.
 */
@NullMarked
package dev.cachescope;

import org.jspecify.annotations.NullMarked;
