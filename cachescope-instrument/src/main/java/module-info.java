/**
 * One-line monitoring for the caches Java applications use: Caffeine, Guava, JCache (with a
 * monitoring {@code CachingProvider}), {@code ConcurrentMap} and memoizers. Each cache library is
 * optional: bring the ones you use. {@link dev.cachescope.instrument.CacheRecorder} is how every
 * adapter records, for adapters of your own.
 */
module dev.cachescope.instrument {
  requires transitive dev.cachescope.core;
  requires static com.github.benmanes.caffeine;
  requires static com.google.common;
  requires static cache.api;
  requires static ehcache;

  exports dev.cachescope.instrument;
  exports dev.cachescope.instrument.caffeine;
  exports dev.cachescope.instrument.guava;
  exports dev.cachescope.instrument.jcache;
}
