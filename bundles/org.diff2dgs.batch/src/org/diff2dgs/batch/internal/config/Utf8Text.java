package org.diff2dgs.batch.internal.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.diff2dgs.batch.api.ExperimentException;
import org.diff2dgs.core.api.UserInputException;

/**
 * An experiment file as text. Decoding is strict so that a file saved in another encoding is reported at the line
 * of its first foreign byte, instead of as the decoder's bare "Input length = 1" (found by fuzzing). A leading byte
 * order mark is dropped.
 */
final class Utf8Text {

    private Utf8Text() {
    }

    static String read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserInputException(file, "file not found");
        } catch (IOException e) {
            throw new UserInputException(file, "cannot read: " + e.getMessage(), e);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            for (int k = 0; k < at; k++) {
                if (bytes[k] == '\n') {
                    line++;
                }
            }
            throw ExperimentException.at(file, line, String.format("the file is not UTF-8 text: byte 0x%02X at "
                    + "offset %d; save it as UTF-8", bytes[at] & 0xFF, at));
        }
        out.flip();
        if (out.hasRemaining() && out.charAt(0) == '\uFEFF') {
            out.get();
        }
        return out.toString();
    }
}
