package dev.cachescope.instrument;

import dev.cachescope.MetricsAggregator;
import dev.cachescope.instrument.kit.AdapterCompatibilityKit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

class MapKitTest extends AdapterCompatibilityKit {
  private @Nullable ConcurrentMap<String, String> map;

  @Override
  protected void create(MetricsAggregator aggregator, int maximumSize) {
    map = MapMonitoring.monitor(new ConcurrentHashMap<>(), aggregator, NAME);
  }

  private ConcurrentMap<String, String> map() {
    return java.util.Objects.requireNonNull(map);
  }

  @Override
  protected void put(String key, String value) {
    map().put(key, value);
  }

  @Override
  protected @Nullable String get(String key) {
    return map().get(key);
  }

  @Override
  protected @Nullable String load(String key, Function<String, String> loader) {
    return map().computeIfAbsent(key, loader);
  }

  @Override
  protected void remove(String key) {
    map().remove(key);
  }

  @Override
  protected void clear() {
    map().clear();
  }

  @Override
  protected @Nullable Boolean putIfAbsent(String key, String value) {
    return map().putIfAbsent(key, value) == null;
  }

  @Override
  protected void drop() {
    map = null;
  }
}
