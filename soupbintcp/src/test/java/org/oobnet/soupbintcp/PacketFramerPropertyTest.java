package org.oobnet.soupbintcp;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The framer hands out exactly the packets written, whatever the cuts of the stream (seeded; the seed is printed).
 */
class PacketFramerPropertyTest
{
    private static final int MAX_PACKET = 512;

    @Test
    void shouldHandOutEveryPacketWhenStreamIsCutAnywhere()
    {
        final long seed = System.nanoTime();
        System.out.println("PacketFramerPropertyTest seed=" + seed);
        final Random random = new Random(seed);
        for (int round = 0; round < 200; round++)
        {
            final List<String> written = new ArrayList<>();
            final UnsafeBuffer stream = new UnsafeBuffer(new byte[64 * MAX_PACKET]);
            int length = 0;
            final int packets = 1 + random.nextInt(40);
            for (int i = 0; i < packets; i++)
            {
                final int payload = random.nextInt(MAX_PACKET - 2);
                stream.putShort(length, (short)(payload + 1), ByteOrder.BIG_ENDIAN);
                stream.putByte(length + 2, (byte)'S');
                final StringBuilder text = new StringBuilder();
                for (int j = 0; j < payload; j++)
                {
                    final byte b = (byte)('a' + random.nextInt(26));
                    stream.putByte(length + 3 + j, b);
                    text.append((char)b);
                }
                written.add(text.toString());
                length += 3 + payload;
            }
            final List<String> read = new ArrayList<>();
            final PacketFramer framer = new PacketFramer(MAX_PACKET, (buffer, offset, packetLength) ->
            {
                read.add(buffer.getStringWithoutLengthAscii(offset + 3, packetLength - 3));
                return null;
            });
            int position = 0;
            while (position < length)
            {
                final int chunk = Math.min(length - position, 1 + random.nextInt(2 * MAX_PACKET));
                assertNull(framer.onData(stream, position, chunk), "seed=" + seed);
                position += chunk;
            }
            assertEquals(written, read, "seed=" + seed + " round=" + round);
            assertEquals(0, framer.partialBytes(), "seed=" + seed);
        }
    }

    @Test
    void shouldDropTooLongWhenLengthFieldSplitAcrossChunks()
    {
        final PacketFramer framer = new PacketFramer(MAX_PACKET, (buffer, offset, length) -> null);
        final UnsafeBuffer bytes = new UnsafeBuffer(new byte[] {(byte)0xFF, (byte)0xFF});
        assertNull(framer.onData(bytes, 0, 1));
        assertEquals(SoupBinTcpDrop.TOO_LONG, framer.onData(bytes, 1, 1));
    }
}
