/**
 * Monitoring for JCache (JSR-107) caches: wrap one cache with {@link
 * dev.cachescope.instrument.jcache.JCacheMonitoring}, or every cache of an application with the
 * delegating {@link dev.cachescope.instrument.jcache.MonitoringCachingProvider}.
 */
@NullMarked
package dev.cachescope.instrument.jcache;

import org.jspecify.annotations.NullMarked;
