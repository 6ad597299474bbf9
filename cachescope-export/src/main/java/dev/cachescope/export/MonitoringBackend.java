package dev.cachescope.export;

/**
 * A place metrics go. A backend's faults never reach the application: it reports them in {@link
 * #health()} and the log, and tries again on its next run, recovering when the cause goes away.
 */
public interface MonitoringBackend extends AutoCloseable {
  /** Its state now. */
  BackendHealth health();

  /** Stops it, after a last write where it writes. Never throws. */
  @Override
  void close();
}
