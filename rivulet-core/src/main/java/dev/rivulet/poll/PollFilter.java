package dev.rivulet.poll;

import dev.rivulet.gate.Grant;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.TopicSelector;
import dev.rivulet.web.Credentials;
import dev.rivulet.web.Problem;
import dev.rivulet.web.QueryString;
import dev.rivulet.web.Refusals;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/poll?topic=…&since=&timeout=&limit=}: long-polling. Answers
 * {@code {"events":[…],"next":cursor}} at once when history holds events after {@code since},
 * otherwise with the next events to arrive within {@code timeout} seconds, or with none.
 */
public class PollFilter extends HttpFilter {

    @Inject
    LongPolls polls;

    @Inject
    PollConfig config;

    @Inject
    Refusals refusals;

    @Inject
    Credentials credentials;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            refusals.write(response, Problem.forStatus(405));
            return;
        }
        try {
            QueryString.parameters(request);
            String[] topics = request.getParameterValues("topic");
            if (topics == null || topics.length == 0) {
                throw new InvalidInputException("invalid-selector", "name at least one topic: /api/poll?topic=...");
            }
            List<TopicSelector> selectors = new ArrayList<>(topics.length);
            for (String t : topics) {
                selectors.add(TopicSelector.parse(t));
            }
            String since = single(request, "since");
            Duration wait = timeout(single(request, "timeout"));
            int limit = limit(single(request, "limit"));
            Grant grant = Credentials.grantOf(request);
            credentials.checkSubscribe(grant, selectors);
            polls.open(request, response, selectors, grant, since, wait, limit);
        } catch (RuntimeException e) {
            refusals.write(response, e);
        }
    }

    /** The one value of {@code name}, or null; a parameter given twice is refused. */
    private static String single(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        if (values == null) {
            return null;
        }
        if (values.length > 1) {
            throw new InvalidInputException("invalid-parameter", name + " may be given once");
        }
        return values[0];
    }

    /** {@code timeout=}: whole seconds from 0 (answer at once) to the configured maximum. */
    Duration timeout(String value) {
        if (value == null) {
            return config.timeout();
        }
        long max = config.maxTimeout().toSeconds();
        long seconds = wholeNumber(value);
        if (seconds < 0 || seconds > max) {
            throw new InvalidInputException("invalid-timeout",
                    "timeout must be a whole number of seconds from 0 to " + max + ", but was '" + shown(value) + "'");
        }
        return Duration.ofSeconds(seconds);
    }

    /** {@code limit=}: events in one answer, from 1 to the configured maximum. */
    int limit(String value) {
        int max = config.maxEvents();
        if (value == null) {
            return max;
        }
        long n = wholeNumber(value);
        if (n < 1 || n > max) {
            throw new InvalidInputException("invalid-limit",
                    "limit must be a whole number from 1 to " + max + ", but was '" + shown(value) + "'");
        }
        return (int) n;
    }

    /** The number {@code value} spells in ASCII digits, or -1 when it is none (or too long to be one we take). */
    private static long wholeNumber(String value) {
        if (value.isEmpty() || value.length() > 9) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Long.parseLong(value);
    }

    private static String shown(String value) {
        return value.length() > 32 ? value.substring(0, 32) + "…" : value;
    }
}
