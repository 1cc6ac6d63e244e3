package org.oobnet.harness.env;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's threads as the kernel lists them: the directories {@code /proc/<pid>/task/<tid>}, each holding the
 * thread's {@code comm}, {@code stat} and {@code schedstat}. A thread can end between the listing and a read of its
 * files: the callers read each directory on their own and skip what has gone.
 * <p>
 * <b>Note:</b> stateless, thread safe; in-band only (file system reads).
 */
public final class ProcTasks
{
    private ProcTasks()
    {
    }

    /**
     * @return this process's threads' directories now.
     * @throws IOException when {@code /proc/self/task} cannot be listed.
     */
    public static List<Path> self() throws IOException
    {
        return list(Path.of("/proc/self/task"));
    }

    /**
     * @param pid a process id.
     * @return its threads' directories now.
     * @throws IOException when the process has gone or {@code /proc} cannot be listed.
     */
    public static List<Path> of(final long pid) throws IOException
    {
        return list(Path.of("/proc", Long.toString(pid), "task"));
    }

    /**
     * @param task a thread's directory from {@link #self()} or {@link #of(long)}.
     * @return its thread id.
     */
    public static int tid(final Path task)
    {
        return Integer.parseInt(task.getFileName().toString());
    }

    private static List<Path> list(final Path dir) throws IOException
    {
        final List<Path> tasks = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir))
        {
            listing.forEach(tasks::add);
        }
        return tasks;
    }
}
