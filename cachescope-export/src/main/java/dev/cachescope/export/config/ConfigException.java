package dev.cachescope.export.config;

/**
 * A configuration that cannot be used. The message names the file (or environment variable), the
 * line when known, the key path, what was expected and, for an unknown key, the valid keys.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
