package org.oobnet.harness.doctor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ParsersTest
{
    @Test
    void shouldSplitCmdlineWhenQuotesFlagsAndInitArgs()
    {
        final KernelCmdline cmdline = KernelCmdline.parse(
            "BOOT_IMAGE=/vmlinuz-6.8 root=UUID=1234 ro quiet isolcpus=managed_irq,domain,2-3 nohz_full=2-3 " +
            "acpi_osi=\"Windows 2015\" quiet=1 -- --init-arg nohz_full=9\n");

        final Map<String, String> expected = new LinkedHashMap<>();
        expected.put("BOOT_IMAGE", "/vmlinuz-6.8");
        expected.put("root", "UUID=1234");
        expected.put("ro", "");
        expected.put("quiet", "1");
        expected.put("isolcpus", "managed_irq,domain,2-3");
        expected.put("nohz_full", "2-3");
        expected.put("acpi_osi", "Windows 2015");
        assertEquals(expected, cmdline.parameters());
        assertEquals(Optional.of("2-3"), cmdline.get("nohz_full"));
        assertEquals(Optional.of("2-3"), cmdline.isolcpusList());
        assertEquals(Optional.empty(), cmdline.get("rcu_nocbs"));
    }

    @Test
    void shouldFindNoParametersWhenCmdlineEmpty()
    {
        assertEquals(Map.of(), KernelCmdline.parse("  \n").parameters());
        assertEquals(Optional.empty(), KernelCmdline.parse("quiet").isolcpusList());
        assertEquals(Optional.of("1,3"), KernelCmdline.parse("isolcpus=1,3").isolcpusList());
    }

    @Test
    void shouldFindCpuModelWhenX86OrArm()
    {
        final String x86 = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel\t\t: 1\n" +
            "model name\t: AMD EPYC   7B13\nflags\t\t: fpu\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n";
        final String arm = "processor\t: 0\nBogoMIPS\t: 48.00\nCPU part\t: 0xd0c\n\nModel\t\t: Raspberry Pi 5\n";

        assertEquals(Optional.of("AMD EPYC 7B13"), ProcInfo.cpuModel(x86));
        assertEquals(Optional.of("Raspberry Pi 5"), ProcInfo.cpuModel(arm));
        assertEquals(Optional.empty(), ProcInfo.cpuModel("processor\t: 0\n"));
    }

    @Test
    void shouldReadSoftAndHardLimitWhenLimitsFile()
    {
        final String limits = """
            Limit                     Soft Limit           Hard Limit           Units
            Max processes             63704                63704                processes
            Max locked memory         8388608              unlimited            bytes
            Max address space         unlimited            unlimited            bytes
            """;

        assertArrayEquals(new long[]{8388608L, ProcInfo.UNLIMITED}, ProcInfo.limit(limits, "Max locked memory"));
        assertArrayEquals(new long[]{ProcInfo.UNLIMITED, ProcInfo.UNLIMITED}, ProcInfo.limit(limits, "Max address space"));
        assertNull(ProcInfo.limit(limits, "Max nice priority"));
    }

    @Test
    void shouldPickBracketedChoiceWhenSysfsSetting()
    {
        assertEquals(Optional.of("madvise"), ProcInfo.bracketed("always [madvise] never\n"));
        assertEquals(Optional.of("always"), ProcInfo.bracketed("[always] defer defer+madvise madvise never"));
        assertEquals(Optional.empty(), ProcInfo.bracketed("always madvise never"));
    }

    @Test
    void shouldCompareKernelVersionsWhenReleaseStrings()
    {
        assertEquals(OptionalLong.of(6_018), ProcInfo.kernelVersion("6.18.44-fc-v657"));
        assertEquals(OptionalLong.of(3_014), ProcInfo.kernelVersion("3.14.0"));
        assertEquals(OptionalLong.of(5_015), ProcInfo.kernelVersion("5.15-rt"));
        assertEquals(OptionalLong.empty(), ProcInfo.kernelVersion("unknown"));
    }

    @Test
    void shouldFormatBytesForPeople()
    {
        assertEquals("8 MiB", ProcInfo.bytes(8L << 20));
        assertEquals("64 KiB", ProcInfo.bytes(65536));
        assertEquals("1000 bytes", ProcInfo.bytes(1000));
        assertEquals("unlimited", ProcInfo.bytes(ProcInfo.UNLIMITED));
    }
}
