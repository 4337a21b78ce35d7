package dev.rivulet.bench;

import java.util.List;

/**
 * A scenario that holds {@code subscribers} streams and steps the publish rate up: SSE fan-out,
 * the WebSocket room, many topics.
 */
record SteppedRun(String scenario, int subscribers, int connected, double openSeconds, List<Step> steps) {

    /** The last step that kept up, or null when even the first fell behind. */
    Step sustained() {
        Step best = null;
        for (Step s : steps) {
            if (!s.behind() && (best == null || s.deliveriesPerSecond() > best.deliveriesPerSecond())) {
                best = s;
            }
        }
        return best;
    }
}
