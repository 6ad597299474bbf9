package dev.cachescope.export;

import org.jspecify.annotations.Nullable;

/**
 * A backend's state as {@code /health} reports it.
 *
 * @param backend the backend's name: {@code logger}, {@code json}, {@code hlog} (the latency logs
 *     beside the json files), {@code api}
 * @param state {@code ok} or {@code failing}
 * @param detail what it is doing, or what is wrong
 * @param since when the state began, Unix epoch seconds
 * @param failures how many times it has failed since it started
 */
public record BackendHealth(
    String backend, String state, @Nullable String detail, double since, long failures) {
  /** Whether the backend works. */
  public boolean ok() {
    return state.equals("ok");
  }
}
