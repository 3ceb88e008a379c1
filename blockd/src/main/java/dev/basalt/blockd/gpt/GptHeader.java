package dev.basalt.blockd.gpt;

import java.util.UUID;

/**
 * The fields of one decoded GPT header (UEFI 2.10 table 5.5), after its signature and CRC were checked.
 *
 * @param myLba        where this header says it lives
 * @param alternateLba where the other header lives
 * @param entriesLba   first sector of this header's entry array
 * @param entriesCrc   CRC32 of the whole entry array
 */
public record GptHeader(long myLba, long alternateLba, long firstUsableLba, long lastUsableLba, UUID diskId,
                        long entriesLba, int entryCount, int entrySize, int entriesCrc) {
}
