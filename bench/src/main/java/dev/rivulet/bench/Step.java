package dev.rivulet.bench;

/**
 * One publish rate held for a while: what was asked, what was published and delivered, and the
 * publish-to-receipt latency of what was delivered. {@code behind} marks the step where delivery
 * fell behind (under 95% of what was due, a p99 over a second, a lost subscriber, or a publisher
 * that could not keep the rate).
 */
record Step(double targetRate, double publishRate, long published, long failed, long delivered,
            double deliveriesPerSecond, double p50Ms, double p99Ms, double maxMs, int lost, boolean behind) {
}
