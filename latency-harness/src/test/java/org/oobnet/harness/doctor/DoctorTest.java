package org.oobnet.harness.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.oobnet.netns.testing.Privileges;

import static org.junit.jupiter.api.Assertions.*;

class DoctorTest
{
    private static Check check(final String name, final CheckResult result)
    {
        return new Check()
        {
            @Override
            public String name()
            {
                return name;
            }

            @Override
            public CheckResult run()
            {
                return result;
            }
        };
    }

    @Test
    void shouldAlignLinesAndIndentFixesWhenRendering()
    {
        final List<CheckResult> results = List.of(
            CheckResult.ok("jdk", "25"),
            CheckResult.warn("isolated cpus", "none", "boot with isolcpus=1"),
            CheckResult.fail("config", "2 problem(s):\nstage.cpu=7: no such CPU\nrings.x=1: unknown key", "fix them"));

        assertEquals("""
            oobnet doctor: preflight of this machine for the OOB path
              OK    jdk            25
              WARN  isolated cpus  none
                                   -> boot with isolcpus=1
              FAIL  config         2 problem(s):
                                   stage.cpu=7: no such CPU
                                   rings.x=1: unknown key
                                   -> fix them
            summary: 1 OK, 1 WARN, 1 FAIL: NOT READY, a requirement of the OOB path is missing (FAIL above)
            """, Doctor.render(results));
        assertEquals(Doctor.EXIT_NOT_READY, Doctor.exitStatus(results));
    }

    @Test
    void shouldBeReadyWhenOnlyWarnings()
    {
        final List<CheckResult> results = List.of(CheckResult.ok("a", "x"), CheckResult.warn("b", "y", "z"));

        assertEquals(Doctor.EXIT_READY, Doctor.exitStatus(results));
        assertTrue(Doctor.render(results).endsWith(
            "summary: 1 OK, 1 WARN, 0 FAIL: ready for the OOB path; latency will be noisier until the WARN lines " +
            "are fixed\n"));
    }

    @Test
    void shouldFailCheckWhenItThrows()
    {
        final Check broken = new Check()
        {
            @Override
            public String name()
            {
                return "broken";
            }

            @Override
            public CheckResult run()
            {
                throw new IllegalStateException("boom");
            }
        };

        final List<CheckResult> results = new Doctor(List.of(check("fine", CheckResult.ok("fine", "x")), broken)).run();

        assertEquals(List.of(
                CheckResult.ok("fine", "x"),
                CheckResult.fail("broken", "the check itself failed: java.lang.IllegalStateException: boom",
                    "report this as a bug of oobnet doctor, with the line above")),
            results);
    }

    @Test
    void shouldRefuseWarnWithoutFix()
    {
        assertEquals("memlock: a WARN must say what to change",
            assertThrows(IllegalArgumentException.class, () -> CheckResult.warn("memlock", "8 MiB", " ")).getMessage());
    }

    @Test
    void shouldCreateAndRemoveNamespaceWhenPrivileged()
    {
        Privileges.requireNetworkPrivileges("the doctor's netns + veth check");

        final CheckResult result = new NetnsVethCheck().run();

        final long pid = ProcessHandle.current().pid();
        assertEquals(CheckResult.ok("netns + veth", "created namespace oobnet-doctor-" + pid + " with veth pair od" +
            pid + "a/od" + pid + "b up, then removed them"), result);
        assertFalse(Files.exists(Path.of("/run/netns/oobnet-doctor-" + pid)));
    }

    @Test
    void shouldRemoveStaleNamespaceWhenItsDoctorIsGone() throws Exception
    {
        Privileges.requireNetworkPrivileges("the doctor's sweep of stale namespaces");
        final Process gone = new ProcessBuilder("true").start();
        assertEquals(0, gone.waitFor());
        final String stale = NetnsVethCheck.PREFIX + gone.pid();
        final Process add = new ProcessBuilder("ip", "netns", "add", stale).inheritIO().start();
        try
        {
            assertEquals(0, add.waitFor());
            assertTrue(Files.exists(Path.of("/run/netns", stale)));

            assertEquals(Status.OK, new NetnsVethCheck().run().status());

            assertFalse(Files.exists(Path.of("/run/netns", stale)));
        }
        finally
        {
            if (Files.exists(Path.of("/run/netns", stale)))
            {
                new ProcessBuilder("ip", "netns", "delete", stale).inheritIO().start().waitFor();
            }
        }
    }
}
