package org.oobnet.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CpuTopologyTest
{
    @Test
    void shouldPickHighestIsolatedAllowedCpuWhenAuto()
    {
        final CpuTopology topology = new CpuTopology(
            CpuList.parse("0-7"), CpuList.parse("0-5"), CpuList.parse("2,3,6"), CpuList.empty());

        assertEquals(3, topology.autoCpu());
    }

    @Test
    void shouldPickHighestAllowedCpuWhenNoneIsolated()
    {
        final CpuTopology topology = new CpuTopology(
            CpuList.parse("0-3"), CpuList.parse("0-2"), CpuList.empty(), CpuList.empty());

        assertEquals(2, topology.autoCpu());
    }

    @Test
    void shouldReadThisMachineWhenOnLinux()
    {
        final CpuTopology topology = CpuTopology.read();

        assertFalse(topology.online().isEmpty());
        assertFalse(topology.allowed().isEmpty());
        assertEquals(topology.allowed(), topology.allowed().intersect(topology.online()));
        assertTrue(topology.allowed().contains(topology.autoCpu()));
        assertTrue(topology.online().size() >= Runtime.getRuntime().availableProcessors());
    }

    @Test
    void shouldFindStatusFieldWhenPresent()
    {
        final String status = "Name:\tjava\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\nMems_allowed_list:\t0\n";

        assertEquals("0-1", CpuTopology.statusField(status, "Cpus_allowed_list").orElseThrow());
        assertEquals("3", CpuTopology.statusField(status, "Cpus_allowed").orElseThrow());
        assertTrue(CpuTopology.statusField(status, "CapEff").isEmpty());
    }
}
