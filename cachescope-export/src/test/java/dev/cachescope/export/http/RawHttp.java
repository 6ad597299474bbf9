package dev.cachescope.export.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Requests written byte for byte on a raw socket, as no HTTP client would send them (foreign hosts,
 * malformed request lines, oversized headers), and the response read back until the server closes
 * the connection.
 */
final class RawHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RawHttp() {}

  /**
   * One response: {@code status} is -1 when the server closed the connection without a status line,
   * {@code bytes} how many bytes came back.
   */
  record Reply(int status, Map<String, String> headers, byte[] body, int bytes) {
    @Nullable String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    boolean isJson() {
      String type = header("content-type");
      return type != null && type.startsWith("application/json");
    }

    /** The body as JSON; throws if it is not. */
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * Writes {@code request} to the server on {@code port} and reads until it closes the connection
   * (send {@code Connection: close} in a well-formed request). A server that answers before it has
   * read everything (a request line too long) may stop reading; what it answered is still read.
   */
  static Reply exchange(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      try {
        // No half-close after it: a client's FIN that reaches a server which has already answered
        // and closed draws a reset, and the reset can discard the answer before it is read.
        out.write(request);
        out.flush();
      } catch (SocketException e) {
        // The server answered and closed before reading it all; its answer is in the input.
      }
      return parse(readAll(socket.getInputStream()));
    }
  }

  static Reply exchange(int port, String request) throws IOException {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8_192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (SocketException e) {
      // A reset after the answer: keep what came.
    }
    return all.toByteArray();
  }

  private static Reply parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.") || headEnd < 0) {
      return new Reply(-1, Map.of(), raw, raw.length);
    }
    String[] lines = text.substring(0, headEnd).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.putIfAbsent(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    byte[] body = new byte[raw.length - headEnd - 4];
    System.arraycopy(raw, headEnd + 4, body, 0, body.length);
    return new Reply(status, headers, body, raw.length);
  }
}
