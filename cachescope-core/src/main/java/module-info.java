/**
 * cachescope's engine: {@link dev.cachescope.CacheMonitor} records a cache's operations, {@link
 * dev.cachescope.MetricsAggregator} holds an application's monitors, {@link
 * dev.cachescope.alert.AlertEvaluator} evaluates alert rules. The recording machinery ({@code
 * dev.cachescope.internal}) and the insights' algorithms ({@code dev.cachescope.insight}) are not
 * API: the machinery is exported only to the jcstress tests, the algorithms to no one.
 */
module dev.cachescope.core {
  requires static transitive org.jspecify;
  requires HdrHistogram;
  requires static jol.core;

  exports dev.cachescope;
  exports dev.cachescope.alert;
  exports dev.cachescope.internal to
      dev.cachescope.stress;
}
