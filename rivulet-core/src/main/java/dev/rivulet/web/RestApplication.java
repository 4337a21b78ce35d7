package dev.rivulet.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Rivulet's REST endpoints live under /api; the streams at the same paths are served by the stream filter. */
@ApplicationPath("/api")
public class RestApplication extends Application {
}
