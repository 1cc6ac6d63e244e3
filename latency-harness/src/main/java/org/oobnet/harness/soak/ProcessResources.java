package org.oobnet.harness.soak;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Descriptors, socket mappings and buffer pools of this process: taken before and after a soak, so that a leak shows.
 *
 * @param descriptors    open file descriptors ({@code /proc/self/fd}), -1 when unknown.
 * @param socketMappings mappings of sockets ({@code /proc/self/maps}: the packet rings), -1 when unknown.
 * @param directBytes    bytes in the JVM's direct buffer pool.
 * @param mappedCount    buffers in the JVM's mapped buffer pool.
 */
record ProcessResources(int descriptors, int socketMappings, long directBytes, long mappedCount)
{
    static ProcessResources take()
    {
        final String[] fds = new java.io.File("/proc/self/fd").list();
        int mappings = 0;
        try
        {
            mappings = (int)Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.contains("socket:[")).count();
        }
        catch (final java.io.IOException ignore)
        {
            mappings = -1;
        }
        long direct = 0;
        long mapped = 0;
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()))
            {
                direct = pool.getMemoryUsed();
            }
            else if ("mapped".equals(pool.getName()))
            {
                mapped = pool.getCount();
            }
        }
        return new ProcessResources(null == fds ? -1 : fds.length, mappings, direct, mapped);
    }

    static ProcessResources awaitSettled()
    {
        System.gc();
        LockSupport.parkNanos(200_000_000L);
        return take();
    }

    static ProcessResources awaitBack(final ProcessResources before)
    {
        // direct buffers of closed sockets' rings are freed by their cleaners, once the collector ran
        System.gc();
        LockSupport.parkNanos(200_000_000L);
        ProcessResources now = take();
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while ((now.descriptors != before.descriptors || now.socketMappings != before.socketMappings) &&
            System.nanoTime() - deadline < 0)
        {
            System.gc();
            LockSupport.parkNanos(100_000_000L);
            now = take();
        }
        return now;
    }
}
