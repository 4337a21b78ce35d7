package dev.rivulet.web;

import jakarta.inject.Inject;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The application's one error page (web.xml): errors the servlet container raises itself, such
 * as a refused URI or an unknown path, leave as problem+json too, never as an HTML page.
 */
public class ErrorPageServlet extends HttpServlet {

    static final String LIBERTY_ERROR_MARK = "$WSEP";

    @Inject
    Refusals refusals;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer i ? i : 404;
        response.resetBuffer();
        // Liberty marks a response it sends to the error page with an empty "$WSEP" header: an
        // internal artifact that should not leave the server.
        response.setHeader(LIBERTY_ERROR_MARK, null);
        Problem problem = Problem.forStatus(code);
        if (code < 500) {
            refusals.write(response, problem);
        } else {
            problem.write(response);
        }
    }
}
