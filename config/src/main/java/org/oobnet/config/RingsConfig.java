package org.oobnet.config;

/**
 * Sizes of the rings linking the in-band side and the OOB stage. Each is a power of two.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param controlQueueCapacity capacity in commands of the in-band to OOB control queue (JCTools MPSC).
 * @param sendRingBytes        data capacity of each socket's send ring (Agrona {@code ManyToOneRingBuffer}).
 * @param receiveRingBytes     data capacity of each socket's receive ring (Agrona {@code OneToOneRingBuffer}).
 */
public record RingsConfig(int controlQueueCapacity, int sendRingBytes, int receiveRingBytes)
{
}
