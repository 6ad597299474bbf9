package dev.cachescope.spring;

import dev.cachescope.export.http.HttpApi;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Serves {@link HttpApi}, the dashboard and the JSON API, under the path it is mapped to. The bare
 * path redirects to itself with a slash, where the page's relative links resolve.
 */
final class DashboardServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient HttpApi api;

  DashboardServlet(HttpApi api) {
    this.api = api;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (request.getPathInfo() == null) {
      response.sendRedirect(request.getRequestURI() + "/");
      return;
    }
    String mount = request.getContextPath() + request.getServletPath();
    String rawPath = request.getRequestURI().substring(mount.length());
    HttpApi.Response answer =
        api.handle(
            HttpApi.Request.of(
                request.getMethod(), rawPath, request.getQueryString(), request::getHeader));
    response.setStatus(answer.status());
    response.setContentType(answer.contentType());
    response.setHeader("Cache-Control", answer.cacheControl());
    answer.headers().forEach(response::setHeader);
    if (!request.getMethod().equals("HEAD")) {
      response.setContentLength(answer.body().length);
      response.getOutputStream().write(answer.body());
    }
  }
}
