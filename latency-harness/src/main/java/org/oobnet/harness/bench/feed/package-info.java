/**
 * {@code oobnet feed}'s work: the MoldUDP64 feed received on the stage ({@code StageFeedReceiver}), published on
 * kernel sockets or the stage ({@code KernelFeedPublisher}, {@code OobFeedPublisher}), and {@code feed bench}
 * ({@code FeedBenchRun}: the stage against Nassau's {@code MoldUDP64Client}, same feed, same run).
 */
package org.oobnet.harness.bench.feed;
