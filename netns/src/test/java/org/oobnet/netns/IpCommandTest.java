package org.oobnet.netns;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpCommandTest
{
    @Test
    void shouldFindInstalledProgramsAndNotMissingOnes()
    {
        final String sh = IpCommand.which("sh");
        assertNotNull(sh, "sh is on every Linux");
        assertTrue(sh.endsWith("/sh"), sh);
        assertNull(IpCommand.which("oobnet-no-such-program"));
    }

    @Test
    void shouldReturnOutputWhenCommandSucceeds()
    {
        assertEquals("hello", IpCommand.exec(List.of("sh", "-c", "echo hello")));
    }

    @Test
    void shouldNameCommandExitCodeAndOutputWhenCommandFails()
    {
        final IllegalStateException thrown = assertThrows(IllegalStateException.class,
            () -> IpCommand.exec(List.of("sh", "-c", "echo oops >&2; exit 3")));
        assertEquals("`sh -c echo oops >&2; exit 3` exited 3: oops", thrown.getMessage());
    }

    @Test
    void shouldKillAndReportCommandWhenItTimesOut()
    {
        final long startNs = System.nanoTime();
        final IpCommand.Result result = IpCommand.tryExec(List.of("sleep", "30"), 200);
        assertEquals(-1, result.exitCode());
        assertTrue(result.output().contains("timed out after timeoutMs=200"), result.output());
        assertTrue(System.nanoTime() - startNs < 10_000_000_000L, "killed long before sleep's 30 s");
    }

    @Test
    void shouldReportCommandThatCannotStart()
    {
        final IpCommand.Result result = IpCommand.tryExec(List.of("/nonexistent/oobnet-tool"), 1000);
        assertFalse(result.ok());
        assertTrue(result.output().startsWith("cannot run:"), result.output());
    }

    @Test
    void shouldNameIpCommandWhenIpFails()
    {
        final IpCommand.Result result = IpCommand.tryRun("link", "show", "dev", "oobt-none0");
        assertFalse(result.ok());
        assertTrue(result.toString().startsWith("`ip link show dev oobt-none0` exited "), result.toString());
        final IllegalStateException thrown = assertThrows(IllegalStateException.class,
            () -> IpCommand.run("link", "show", "dev", "oobt-none0"));
        assertEquals(result.toString(), thrown.getMessage());
    }
}
