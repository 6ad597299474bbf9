package dev.cachescope.export.config;

/**
 * A configuration that cannot be used. The message names the file (or environment variable), the
 * line when known, the key path, what was expected and, for an unknown key, the valid keys.
 *
 * <p>The message is always one line of printable text: control characters that a file's keys or
 * values carry (a quoted key with a line break, say) are shown escaped ({@code \n}, {@code \t},
 * {@code \u0007}), so the message can be printed or logged as it is.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(printable(message));
  }

  public ConfigException(String message, Throwable cause) {
    super(printable(message), cause);
  }

  private static String printable(String message) {
    StringBuilder out = new StringBuilder(message.length());
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)
              || Character.getType(c) == Character.LINE_SEPARATOR
              || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
